"""File > Export data… and Import data… (JSON for everything, CSV for the diary)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from taperdesk.errors import KnownError
from taperdesk.store import data_io
from taperdesk.store.paths import os_error_text, write_private_text
from taperdesk.ui import dialogs, diary_dialogs
from taperdesk.ui.diary_dialogs import ImportConflict
from taperdesk.ui.state import AppState

JSON_FILTER = "TaperDesk data (*.json)"
CSV_FILTER = "Diary CSV (*.csv)"


def export_data(parent: QWidget, state: AppState) -> Path | None:
    if not dialogs.confirm(
        parent, "Export data", "The exported file contains health information.",
        data_io.HEALTH_WARNING, yes="Continue",
    ):  # fmt: skip
        return None
    name = diary_dialogs.ask_save_path(
        parent, "Export data", "taperdesk-data.json", f"{JSON_FILTER};;{CSV_FILTER}"
    )
    if not name:
        return None
    path = Path(name)
    try:
        if path.suffix.lower() == ".csv":
            write_private_text(path, data_io.export_diary_csv(state.database))
        else:
            data_io.write_export(state.database, path)
    except OSError as error:
        dialogs.show_error(
            parent,
            KnownError(
                f"Could not write {path}: {os_error_text(error)}.",
                "Choose another place, or free some space.",
            ),
        )
        return None
    except KnownError as error:
        dialogs.show_error(parent, error)
        return None
    dialogs.show_info(parent, "Export data", f"Saved to {path}.", data_io.HEALTH_WARNING)
    return path


def import_data(parent: QWidget, state: AppState) -> data_io.ImportReport | None:
    name = diary_dialogs.ask_open_path(parent, "Import data", f"{JSON_FILTER};;{CSV_FILTER}")
    if not name:
        return None
    path = Path(name)
    database = state.database
    try:
        if path.suffix.lower() == ".csv":
            text = data_io.read_diary_csv_file(path)
            conflicts = data_io.csv_conflicting_days(database, text)
        else:
            doc = data_io.read_json_file(path)
            data_io.validate_document(doc, str(path))
            conflicts = data_io.conflicting_days(database, doc)
        overwrite = False
        if conflicts:
            choice = diary_dialogs.ask_import_conflicts(parent, conflicts)
            if choice is ImportConflict.CANCEL:
                return None
            overwrite = choice is ImportConflict.OVERWRITE
        if path.suffix.lower() == ".csv":
            report = data_io.import_diary_csv(database, text, overwrite=overwrite, source=str(path))
        else:
            from taperdesk.app.plan_actions import preview_import

            # Worked out on a copy first: an import can make its plan the active one.
            found = preview_import(database, doc, overwrite=overwrite, source=str(path))
            if found.needs_confirmation:
                from taperdesk.ui.plan_guard import confirm_file_change

                text = f"Importing {path.name} changes your plan."
                if not confirm_file_change(parent, found, text, "Import and change my plan"):
                    return None
            report = found.change.save()
    except (OSError, UnicodeDecodeError) as error:
        dialogs.show_error(parent, KnownError(f"{path} cannot be read ({error}).", ""))
        return None
    except data_io.ImportRefused as error:
        error.message = "\n".join(error.problems[:20])
        dialogs.show_error(parent, error)
        return None
    except KnownError as error:
        dialogs.show_error(parent, error)
        return None
    state.diary_changed.emit(None)  # any day
    state.plan_changed.emit()
    state.settings_changed.emit()
    dialogs.show_info(parent, "Import data", f"Imported {path.name}.", report.describe())
    return report
