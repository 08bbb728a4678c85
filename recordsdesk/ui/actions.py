"""The window's actions, menus and toolbar, and their (re)translation.

Every command is a QAction with a keyboard shortcut where it makes sense, so it
is reachable by keyboard, from the menu and from the toolbar alike. Texts are
set in :meth:`Actions.retranslate`, which runs again after a language switch.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QStyle, QToolBar

from recordsdesk.i18n import _

LANGUAGE_MENU_TITLE = "Taal / Language"  # the same in both languages, on purpose
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


class Actions(QObject):
    """Creates the actions and puts them in the window's menus and toolbar."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        style = window.style()

        def action(name: str, shortcut: QKeySequence | str | None = None) -> QAction:
            act = QAction(window)
            act.setObjectName(name)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
                act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            window.addAction(act)
            return act

        self.new_dossier = action("actionNewDossier", "Ctrl+N")
        self.new_dossier.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_FileDialogNewFolder))
        self.file_files = action("actionFileFiles", "Ctrl+O")
        self.file_files.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton))
        self.edit_metadata = action("actionEditMetadata", "Ctrl+E")
        self.edit_metadata.setIcon(
            style.standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView)
        )
        self.refresh = action("actionRefresh", "F5")
        self.refresh.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.quit = action("actionQuit", "Ctrl+Q")
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.about = action("actionAbout")
        self.about.setMenuRole(QAction.MenuRole.AboutRole)
        self.selectielijst = action("actionSelectielijst", "Ctrl+L")
        self.due_list = action("actionDueList", "Ctrl+Shift+D")
        self.disposal_lists = action("actionDisposalLists", "Ctrl+Shift+L")
        self.classify = action("actionClassifyDossier", "Ctrl+Shift+K")
        self.close_dossier = action("actionCloseDossier", "Ctrl+Shift+G")
        self.command_palette = action("actionCommandPalette", "Ctrl+K")
        self.shortcuts = action("actionShortcuts", "F1")
        self.show_log = action("actionShowLog", "Ctrl+Shift+J")
        self.preferences = action("actionSettings", "Ctrl+,")
        self.first_run = action("actionFirstRun")
        self.preferences.setMenuRole(QAction.MenuRole.PreferencesRole)

        self.language_group = QActionGroup(self)
        self.language_group.setExclusive(True)
        self.languages: dict[str, QAction] = {}
        for code, name in LANGUAGE_NAMES.items():
            act = action(f"actionLanguage_{code}")
            act.setText(name)
            act.setCheckable(True)
            act.setData(code)
            self.language_group.addAction(act)
            self.languages[code] = act

        bar = window.menuBar()
        self.file_menu = QMenu(window)
        self.file_menu.setObjectName("menuFile")
        self.file_menu.setToolTipsVisible(True)
        self.file_menu.addAction(self.new_dossier)
        self.file_menu.addAction(self.file_files)
        self.file_menu.addAction(self.edit_metadata)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.preferences)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit)
        self.view_menu = QMenu(window)
        self.view_menu.setObjectName("menuView")
        self.view_menu.addAction(self.command_palette)
        self.view_menu.addAction(self.refresh)
        self.view_menu.addSeparator()
        self.language_menu = QMenu(LANGUAGE_MENU_TITLE, window)
        self.language_menu.setObjectName("menuLanguage")
        for act in self.languages.values():
            self.language_menu.addAction(act)
        self.view_menu.addMenu(self.language_menu)
        self.retention_menu = QMenu(window)
        self.retention_menu.setObjectName("menuRetention")
        self.retention_menu.setToolTipsVisible(True)
        self.retention_menu.addAction(self.selectielijst)
        self.retention_menu.addAction(self.due_list)
        self.retention_menu.addAction(self.classify)
        self.retention_menu.addAction(self.close_dossier)
        self.retention_menu.addAction(self.disposal_lists)
        self.help_menu = QMenu(window)
        self.help_menu.setObjectName("menuHelp")
        self.help_menu.addAction(self.shortcuts)
        self.help_menu.addAction(self.show_log)
        self.help_menu.addAction(self.first_run)
        self.help_menu.addAction(self.about)
        for menu in (self.file_menu, self.view_menu, self.retention_menu, self.help_menu):
            bar.addMenu(menu)

        self.toolbar = QToolBar(window)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.addAction(self.new_dossier)
        self.toolbar.addAction(self.file_files)
        self.toolbar.addAction(self.edit_metadata)
        self.toolbar.addAction(self.refresh)
        window.addToolBar(self.toolbar)
        self.retranslate()

    def set_language_checked(self, language: str) -> None:
        act = self.languages.get(language)
        if act is not None:
            act.setChecked(True)

    def set_can_file(self, can: bool, reason: str) -> None:
        """Enable "File documents…"; when disabled the tooltip says why."""
        self.file_files.setEnabled(can)
        tip = _("File documents into the selected dossier (Ctrl+O)") if can else reason
        self.file_files.setToolTip(tip)
        self.file_files.setStatusTip(tip)

    def retranslate(self) -> None:
        def texts(act: QAction, text: str, tip: str) -> None:
            act.setText(text)
            act.setIconText(text.replace("&", "").rstrip("…"))
            act.setToolTip(tip)
            act.setStatusTip(tip)

        texts(self.new_dossier, _("&New dossier…"), _("Create a new dossier (Ctrl+N)"))
        texts(self.file_files, _("&File documents…"), _("File documents (Ctrl+O)"))
        texts(
            self.edit_metadata,
            _("Edit &metadata…"),
            _("Edit the metadata of the selected record, or else of the dossier (Ctrl+E)"),
        )
        texts(self.refresh, _("&Refresh"), _("Read the lists again (F5)"))
        texts(
            self.command_palette,
            _("Find a &command…"),
            _("Find any command by typing a few letters of it, and run it (Ctrl+K)"),
        )
        texts(self.shortcuts, _("&Keyboard shortcuts"), _("Every command with its key (F1)"))
        texts(
            self.preferences,
            _("&Settings…"),
            _("The organisation's MDTO defaults, the language and the drop folders (Ctrl+,)"),
        )
        texts(
            self.first_run,
            _("&First-use assistant…"),
            _("Language, organisation, central archive and a drop folder, step by step"),
        )
        texts(self.classify, _("Classi&fy dossier…"),
              _("Give the selected dossier its Selectielijst result (Ctrl+Shift+K)"))  # fmt: skip
        texts(
            self.close_dossier,
            _("Close d&ossier…"),
            _("Close the selected dossier and derive its archiefactiedatum (Ctrl+Shift+G)"),
        )
        texts(self.show_log, _("&Log…"), _("The recent log lines, to read or copy for the "
                                           "service desk (Ctrl+Shift+J)"))  # fmt: skip
        texts(self.quit, _("&Quit"), _("Close RecordsDesk (Ctrl+Q)"))
        texts(self.about, _("&About RecordsDesk"), _("Version and licence"))
        texts(
            self.selectielijst,
            _("&Selectielijst…"),
            _("Browse and search the Selectielijst (Ctrl+L)"),
        )
        texts(
            self.due_list,
            _("&Due list…"),
            _("Dossiers due for destruction or transfer (Ctrl+Shift+D)"),
        )
        texts(
            self.disposal_lists,
            _("&Lists…"),
            _("Destruction and transfer lists (Ctrl+Shift+L)"),
        )
        self.retention_menu.setTitle(_("&Retention"))
        self.file_menu.setTitle(_("&File"))
        self.view_menu.setTitle(_("&View"))
        self.help_menu.setTitle(_("&Help"))
        self.toolbar.setWindowTitle(_("Toolbar"))
        self.toolbar.setAccessibleName(_("Toolbar"))
