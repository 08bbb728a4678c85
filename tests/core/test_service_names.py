"""The service package's names load when first used, and each is what it says."""

from __future__ import annotations

import inspect
import subprocess
import sys

import recordsdesk.services as services


def test_every_public_name_is_the_object_its_module_defines() -> None:
    for name in services.__all__:
        value = getattr(services, name)
        assert inspect.isfunction(value) or inspect.isclass(value), name
        assert value.__module__.startswith("recordsdesk.services."), (name, value.__module__)
        assert value.__name__ == name
    assert sorted(services.__all__) == sorted(set(services.__all__))
    assert set(services.__all__) <= set(dir(services))


def test_an_unknown_name_is_an_attribute_error_and_a_submodule_still_imports() -> None:
    assert not hasattr(services, "no_such_service")
    from recordsdesk.services import holds  # a submodule, not a name of the package

    assert inspect.ismodule(holds)


def test_the_workspace_alone_does_not_load_export_packaging_or_pdf() -> None:
    # what every command line start and worker pays for: only what the workspace needs
    probe = (
        "import sys, recordsdesk.services.workspace, recordsdesk.services.verify\n"
        "from recordsdesk.services import verify\n"
        "assert callable(verify) and not isinstance(verify, type(sys))\n"
        "heavy = ('recordsdesk.services.sip', 'recordsdesk.services.export', "
        "'recordsdesk.services.importing', 'recordsdesk.services.filing', 'pikepdf')\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
