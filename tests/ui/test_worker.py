"""Slow work runs off the GUI thread; results come back on it; a progress dialog only if slow."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from chapter_app.store.repository import Query
from chapter_app.ui.worker import Worker, run_task


def test_a_job_runs_off_the_gui_thread_and_its_result_arrives_on_it(qtbot, store):
    worker = Worker(store.path)
    gui = QThread.currentThread()
    seen = {}

    def job(background_store):
        seen["job_thread"] = QThread.currentThread()
        seen["read_only"] = background_store.read_only
        return background_store.campaigns.count(Query())

    def done(result):
        seen["result"] = result
        seen["done_thread"] = QThread.currentThread()

    worker.submit(job, on_done=done)
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen["result"] == store.campaigns.count(Query()) > 0
    assert seen["job_thread"] is not gui
    assert seen["done_thread"] is gui
    assert seen["read_only"]  # background jobs never write through a second connection
    worker.shutdown()


def test_a_background_reader_sees_what_the_gui_just_committed(qtbot, store):
    worker = Worker(store.path)
    counts = []
    worker.submit(lambda s: s.sponsors.count(Query()), on_done=counts.append)
    qtbot.waitUntil(lambda: len(counts) == 1)
    with store.operation("Thêm nhà tài trợ"):
        store.sponsors.add(name="Công ty Bình Minh")
    worker.submit(lambda s: s.sponsors.count(Query()), on_done=counts.append)
    qtbot.waitUntil(lambda: len(counts) == 2)
    assert counts[1] == counts[0] + 1
    worker.shutdown()


def test_an_error_in_a_job_is_delivered_to_the_gui_thread(qtbot, store):
    worker = Worker(store.path)
    errors = []

    def broken(_store):
        raise ValueError("hỏng")

    worker.submit(broken, on_error=lambda exc, text: errors.append((exc, text)))
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert isinstance(errors[0][0], ValueError)
    assert "hỏng" in errors[0][1]
    worker.shutdown()


def test_a_cancelled_job_delivers_nothing(qtbot, store):
    worker = Worker(store.path)
    results = []
    job = worker.submit(lambda s: 1, on_done=results.append)
    job.cancel()
    assert worker.wait_idle()
    assert results == []
    worker.shutdown()


def test_the_progress_dialog_appears_only_for_a_job_that_keeps_running(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    results = []
    quick = run_task(
        lambda: "vừa xong", on_done=results.append, label="Đang tính…", parent_widget=parent
    )
    qtbot.waitUntil(lambda: results == ["vừa xong"])
    assert not quick.progress_shown

    release = threading.Event()
    slow = run_task(
        lambda: release.wait(10), on_done=results.append, label="Đang tính…", parent_widget=parent
    )
    qtbot.waitUntil(lambda: slow.progress_shown, timeout=5000)
    dialogs = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QProgressDialog) and w.isVisible()
    ]
    assert [d.labelText() for d in dialogs] == ["Đang tính…"]
    assert parent.isEnabled()  # the window is not frozen: events are processed meanwhile
    release.set()
    qtbot.waitUntil(lambda: len(results) == 2)
    assert not slow.progress_shown


def test_a_result_for_a_widget_that_is_gone_is_dropped(qtbot, store):
    worker = Worker(store.path)
    release = threading.Event()
    results = []
    page = QWidget()
    worker.submit(lambda s: release.wait(10), on_done=results.append, context=page)
    page.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(page))
    release.set()
    assert worker.wait_idle()
    assert results == []
    worker.shutdown()
