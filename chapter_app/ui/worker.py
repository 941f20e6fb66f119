"""Running slow work off the GUI thread, with a progress dialog that appears after 0.5 s.

The one rule about SQLite and threads: the GUI's ``Store`` (its sqlite3 connection was
made on the GUI thread) is used on the GUI thread only. A background job gets a
read-only ``Store`` of its own on the same file, opened on first use in each pool
thread and kept for the next jobs of that thread. With the file in WAL mode these
readers never block the GUI's writes and always see the last committed state.

Writes stay with the GUI's ``Store``: it holds the file's one-writer lock, and its
operations are what Edit > Undo walks back. (A job that must write for long, such as
creating a new file before any window has it open, uses ``run_task`` with its own
``Store`` and closes it before the GUI opens the file.)

A job never touches a widget: it returns a value, and ``on_done`` (or ``on_error``)
runs on the GUI thread through a queued signal.
"""

from __future__ import annotations

import contextlib
import threading
import traceback
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from chapter_app.i18n import _

PROGRESS_DELAY_MS = 500

_local = threading.local()
# every thread's store (weakly: it closes with its thread), so shutdown can interrupt a query
_opened: weakref.WeakSet = weakref.WeakSet()
_opened_lock = threading.Lock()


def thread_store(path: Path):
    """The read-only ``Store`` of the current pool thread for ``path`` (opened on first use)."""
    from chapter_app.store.store import Store

    stores: dict[Path, Any] = getattr(_local, "stores", None) or {}
    _local.stores = stores
    key = Path(path).resolve()
    store = stores.get(key)
    if store is None:
        store = Store.open(key, read_only=True)
        stores[key] = store
        with _opened_lock:
            _opened.add(store)
    return store


def interrupt_readers(path: Path) -> None:
    """Stop the queries running on the background stores of ``path`` (sqlite3 allows this
    from another thread); their jobs end with an error that nobody waits for any more."""
    key = Path(path).resolve()
    with _opened_lock:
        for store in list(_opened):
            if store.path == key:
                with contextlib.suppress(Exception):  # already closed with its thread
                    store.db.conn.interrupt()


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object, str)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals):
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # delivered to the GUI thread, never lost
            self._signals.failed.emit(exc, traceback.format_exc())
        else:
            self._signals.done.emit(result)


class Job(QObject):
    """A submitted job: cancel() drops its result; ``finished`` fires on the GUI thread."""

    finished = Signal()

    def __init__(self, owner: QObject | None, label: str | None, parent_widget: QWidget | None):
        super().__init__(owner)
        self.cancelled = False
        self.running = True
        self.label = label
        self.signals = _Signals()
        self._progress: QProgressDialog | None = None
        self._timer: QTimer | None = None
        if label:
            self._timer = QTimer(self)
            self._timer.setSingleShot(True)
            self._timer.timeout.connect(lambda: self._show_progress(parent_widget))
            self._timer.start(PROGRESS_DELAY_MS)

    def cancel(self) -> None:
        self.cancelled = True

    @property
    def progress_shown(self) -> bool:
        return self._progress is not None

    def _show_progress(self, parent: QWidget | None) -> None:
        if not self.running:
            return
        dialog = QProgressDialog(self.label or "", None, 0, 0, parent)
        dialog.setWindowTitle(_("Đang xử lý"))
        dialog.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.show()
        self._progress = dialog

    def _end(self) -> None:
        self.running = False
        if self._timer is not None:
            self._timer.stop()
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None
        self.finished.emit()


_unowned: set[Job] = set()  # jobs started without an owner stay referenced until they end


def run_task(
    fn: Callable[[], Any],
    *,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException, str], None] | None = None,
    label: str | None = None,
    parent_widget: QWidget | None = None,
    pool: QThreadPool | None = None,
    owner: QObject | None = None,
    jobs: set[Job] | None = None,
    context: QObject | None = None,
) -> Job:
    """Run ``fn()`` on a pool thread; ``on_done(result)`` / ``on_error`` run on the GUI thread.

    ``label`` (already translated) names the work in a progress dialog that appears if the
    job takes longer than half a second. Errors without ``on_error`` are printed. When
    ``context`` (the widget that shows the result) is deleted before the job ends, the
    result is dropped.
    """
    job = Job(owner, label, parent_widget)
    pending = jobs if jobs is not None else _unowned
    receiver = context if context is not None else parent_widget

    def dropped() -> bool:
        return job.cancelled or (receiver is not None and not shiboken6.isValid(receiver))

    def finished(result):
        pending.discard(job)
        job._end()
        if not dropped() and on_done is not None:
            on_done(result)

    def failed(exc, text):
        pending.discard(job)
        job._end()
        if dropped():
            return
        if on_error is not None:
            on_error(exc, text)
        else:
            print(text, flush=True)

    queued = QtCore.Qt.ConnectionType.QueuedConnection  # ``Qt`` named only when used
    job.signals.done.connect(finished, queued)
    job.signals.failed.connect(failed, queued)
    pending.add(job)
    (pool or QThreadPool.globalInstance()).start(_Runnable(fn, job.signals))
    return job


def wait_for(jobs: set[Job], pool: QThreadPool, timeout_ms: int = 30000) -> bool:
    """Block until ``jobs`` have ended and their results were delivered (tests, screenshots)."""
    app = QCoreApplication.instance()
    remaining = timeout_ms
    while jobs and remaining > 0:
        pool.waitForDone(20)
        if app is not None:
            app.processEvents()
        remaining -= 20
    return not jobs


class Worker(QObject):
    """Runs jobs on a thread pool for one database file."""

    def __init__(self, db_path: Path, parent: QObject | None = None, *, max_threads: int = 2):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._jobs: set[Job] = set()

    def submit(
        self,
        fn: Callable[[Any], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException, str], None] | None = None,
        label: str | None = None,
        parent_widget: QWidget | None = None,
        context: QObject | None = None,
    ) -> Job:
        """Run ``fn(store)`` off the GUI thread on a read-only ``Store`` (see module doc).

        ``context``: the object that shows the result; the result is dropped if it is gone.
        """
        path = self.db_path

        def call():
            return fn(thread_store(path))

        return run_task(
            call,
            on_done=on_done,
            on_error=on_error,
            label=label,
            parent_widget=parent_widget,
            pool=self.pool,
            owner=self,
            jobs=self._jobs,
            context=context,
        )

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def wait_idle(self, timeout_ms: int = 30000) -> bool:
        """Block until every job has ended and its result was delivered (tests, screenshots)."""
        return wait_for(self._jobs, self.pool, timeout_ms)

    def shutdown(self) -> None:
        """Drop pending results and wait for running jobs (at window close)."""
        for job in list(self._jobs):
            job.cancel()
        self.pool.clear()
        if self._jobs:
            interrupt_readers(self.db_path)
        self.pool.waitForDone(5000)
        self._jobs.clear()
