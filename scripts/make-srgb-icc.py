"""Write resources/icc/sRGB.icc: the sRGB profile built into little-cms.

Pillow is not a dependency of the application; it is only needed to run this
script once (it is present in the development venv). The profile is the one
little-cms creates with ``cmsCreate_sRGBProfile`` (IEC 61966-2.1 primaries and
tone curve, D50 adapted, ICC version 4), whose copyright tag reads "No copyright,
use freely". The header holds the creation date, so each run differs in those
bytes; keep the committed file unless the profile must change.
``recordsdesk.pdfa`` embeds it as the PDF/A output intent::

    .venv/bin/python scripts/make-srgb-icc.py
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import PIL
from PIL import ImageCms, features

TARGET = Path(__file__).resolve().parent.parent / "resources" / "icc" / "sRGB.icc"


def main() -> None:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    data = profile.tobytes()
    if data[36:40] != b"acsp" or data[12:20] != b"mntrRGB ":
        raise SystemExit("unexpected profile header: not an RGB display profile")
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(data)
    print(f"{TARGET}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
    print(f"Pillow {PIL.__version__}, little-cms {features.version('littlecms2')}")
    description = profile.profile.profile_description
    print(f"ICC version {data[8]}.{data[9] >> 4}, description {description!r}")
    print(f"copyright {profile.profile.copyright!r}")


if __name__ == "__main__":
    main()
