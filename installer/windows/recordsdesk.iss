; Inno Setup 6 script (6.3 or later: x64compatible): the per-machine Windows installer.
;
; Input:  dist\RecordsDesk\  (the one-folder PyInstaller build; see installer\README.md)
; Build:  installer\windows\build.ps1   (reads the version from the package, then runs
;         ISCC /DAppVersion=<version> installer\windows\recordsdesk.iss)
; Output: dist\RecordsDesk-<version>-setup.exe
;
; Made for software distribution by the municipality's IT (SCCM, Intune, a script):
; it installs per machine into Program Files (administrator rights), needs no
; questions when run with /VERYSILENT /SUPPRESSMSGBOXES /NORESTART, writes a log
; with /LOG=<file>, and uninstalls cleanly with the same switches. It never touches
; users' data folders (%LOCALAPPDATA%\RecordsDesk): records are not removed by an
; uninstall or an upgrade.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=0.1.0 recordsdesk.iss (build.ps1 does this)
#endif
#define AppName "RecordsDesk"
#define AppPublisher "Gemeente Rotterdam"
#define AppExe "RecordsDesk.exe"
#define SourceDir "..\..\dist\RecordsDesk"

[Setup]
; Never change AppId: Windows recognises upgrades and the uninstaller by it.
AppId={{6B0F4C1E-8E3A-4B8B-9C55-2D1F0A7E5C31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; per machine: every user of the workstation gets it, installed once by IT
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
; the app is closed before files are replaced (also during a silent upgrade)
CloseApplications=force
RestartApplications=no
SetupLogging=yes

[Languages]
Name: "nl"; MessagesFile: "compiler:Languages\Dutch.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; an upgrade starts from a clean program folder, so no module of an older version lingers
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[CustomMessages]
nl.AppComment=Stukken archiveren in dossiers met MDTO-metagegevens
en.AppComment=File records into dossiers with MDTO metadata
