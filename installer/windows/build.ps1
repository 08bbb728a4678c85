# Build the Windows installer of RecordsDesk: PyInstaller bundle, smoke test, Inno Setup.
#
# Run from a "Developer PowerShell" or any PowerShell on a Windows 10/11 x64 build
# machine with Python 3.11 and Inno Setup 6 (ISCC.exe) installed:
#     powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1
# Result: dist\RecordsDesk-<version>-setup.exe
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

if (-not (Test-Path .venv)) {
    python -m venv .venv
    if ($LASTEXITCODE -ne 0) { throw "python -m venv failed" }
}
$py = ".venv\Scripts\python.exe"
& $py -m pip install -q -U pip
if ($LASTEXITCODE -ne 0) { throw "pip upgrade failed" }
& $py -m pip install -q -e ".[dist]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }
# python-magic-bin carries libmagic for Windows (the spec copies it into the bundle). It
# is the same `magic` package as python-magic, with the DLL beside it: the two must not
# be installed together, or whichever was installed last wins file by file.
& $py -m pip uninstall -q -y python-magic
& $py -m pip install -q python-magic-bin==0.4.14
if ($LASTEXITCODE -ne 0) { throw "pip install python-magic-bin failed" }

& $py -m PyInstaller --noconfirm --distpath dist --workpath build\pyinstaller installer\pyinstaller\recordsdesk.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

# the same smoke test as `make dist` on Linux: a throwaway data folder, no window shown
$home_ = Join-Path $env:TEMP ("recordsdesk-smoke-" + [guid]::NewGuid())
$env:QT_QPA_PLATFORM = "offscreen"
$smoke = Start-Process -FilePath dist\RecordsDesk\RecordsDesk.exe -ArgumentList "--home", "`"$home_`"", "--smoke-test" -Wait -PassThru -NoNewWindow
Remove-Item Env:\QT_QPA_PLATFORM
Remove-Item -Recurse -Force $home_ -ErrorAction SilentlyContinue
if ($smoke.ExitCode -ne 0) { throw "smoke test failed (exit $($smoke.ExitCode))" }

$version = & $py -c "import recordsdesk; print(recordsdesk.__version__)"
$iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"
& $iscc "/DAppVersion=$version" installer\windows\recordsdesk.iss
if ($LASTEXITCODE -ne 0) { throw "ISCC failed" }
Write-Host "Built dist\RecordsDesk-$version-setup.exe"
