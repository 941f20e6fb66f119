"""Receiving packages at the upper level: every file checked, then all kept or none.

``receive_packages(store, paths)`` checks every file (each gets a verdict) and keeps them
all, with one backup before, in one transaction, or none of them: the parts of the packages
are checked while those already checked are written, and the transaction is undone when any
file is refused (see ``receive_packages``). Within a command,
the same package given twice is kept once; two packages of one chapter and period are
taken oldest first (the newer replaces the older, as two separate commands would).

``remove_package(store, chapter, period)`` takes a chapter's packages of a period out
again (a package sent by mistake), noted in the audit log.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from chapter_app.domain.periods import parse_period
from chapter_app.domain.text import clean_text, fold
from chapter_app.errors import AppError
from chapter_app.services.backups import (
    REASON_BEFORE_CONSOLIDATION,
    create_backup,
    note_backup,
    thin_store_backups,
)
from chapter_app.services.exchange import ReceiveResult, differences, require_upper
from chapter_app.services.package_read import KeptPart, PackageFile, VerifiedPackage
from chapter_app.services.package_schema import PackageError, shown_text
from chapter_app.store.backup import PROTECTED_SUFFIX
from chapter_app.store.exchange import IncomingPart, ReceivedPackage
from chapter_app.store.store import Store
from chapter_app.store.wal_flush import LogFlusher


@dataclass(frozen=True)
class Verdict:
    """What became of one file of the command."""

    path: Path
    ok: bool
    message: str
    result: ReceiveResult | None = None
    error: AppError | None = field(default=None, compare=False, repr=False)


@dataclass
class Batch:
    """The outcome of one command: a verdict per file; ``stored`` when anything was kept."""

    verdicts: list[Verdict] = field(default_factory=list)
    stored: bool = False
    backup: Path | None = None

    @property
    def ok(self) -> bool:
        return all(v.ok for v in self.verdicts)

    @property
    def results(self) -> list[ReceiveResult]:
        return [v.result for v in self.verdicts if v.result is not None]

    def raise_first_error(self) -> None:
        for verdict in self.verdicts:
            if verdict.error is not None:
                raise verdict.error


def _refused(path: Path, exc: AppError) -> Verdict:
    return Verdict(path, False, exc.message, error=exc)


def receive_packages(
    store: Store,
    paths: Sequence[Path | str],
    *,
    password: str | None = None,
    passwords: Mapping[str, str | None] | None = None,
    on_verdict: Callable[[Verdict], None] | None = None,
) -> Batch:
    """Check every package in ``paths``, then keep all of them or none (see module doc).

    ``passwords`` gives a file's own password (by ``str(path)``), else ``password``.

    The manifests and figures of all files are checked first (quick); then the parts of
    every package are inflated and hashed on worker threads, oldest package first, while
    the packages already checked are written in one transaction, which is undone (with the
    backup taken for it) as soon as any package is refused: the disk writes overlap the
    checks, and a refused file still leaves the register as it was."""
    require_upper(store)
    batch = Batch()
    paths = [Path(p) for p in paths]
    workers = max(1, min(4, os.cpu_count() or 1, len(paths)))
    with ExitStack() as stack:
        pool = ThreadPoolExecutor(max_workers=workers)
        stack.callback(pool.shutdown, wait=True, cancel_futures=True)
        checked: list[tuple[Path, PackageFile, VerifiedPackage]] = []
        heads = pool.map(lambda p: _check_head(p, (passwords or {}).get(str(p), password)), paths)
        for path, outcome in zip(paths, list(heads), strict=True):
            if isinstance(outcome, AppError):
                batch.verdicts.append(_refused(path, outcome))
            else:
                reader, package = outcome
                stack.callback(reader.close)
                checked.append((path, reader, package))
        planned = _plan(store, checked, batch) if batch.ok else []
        if batch.ok:
            planned, kept, backup = _keep(store, planned, pool, workers, batch)
            batch.stored, batch.backup = bool(kept), backup
        if not batch.ok:
            _nothing_kept(batch, checked, paths)
            _tell(batch, on_verdict)
            return batch
        for _i, path, _reader, package, status, previous in sorted(planned, key=lambda f: f[0]):
            args = (package.file_name, package.chapter_name, package.period_code)
            if previous is not None:
                previous = kept.get(previous.content_sha256, previous)
            stored_now = status in ("added", "replaced")
            in_force = kept[package.content_sha256] if stored_now else previous
            diffs = ()
            if status == "replaced":
                diffs = tuple(differences(previous.stats, package.stats))
            result = ReceiveResult(
                status, *args, in_force, previous if status != "added" else None, diffs
            )
            batch.verdicts.append(Verdict(path, True, result.message, result))
    _tell(batch, on_verdict)
    return batch


class _Undo(Exception):
    """A package was refused while others were being written: the transaction is undone."""


def _keep(store: Store, planned: list[tuple], pool, workers: int, batch: Batch):
    """Write the packages to keep as each one's parts pass (one transaction, one backup
    before it); ``(planned with whole packages, content hash -> row kept, backup)``.
    When any package is refused, nothing is kept and the backup is removed again.

    Parts are checked oldest package first, a few packages ahead of the one being written
    (their checked bytes wait in memory to be written)."""
    repo = store.exchange.packages
    ahead = 2 * workers
    futures = [pool.submit(_check_parts, fate[2], fate[3]) for fate in planned[:ahead]]
    to_store = sum(fate[4] in ("added", "replaced") for fate in planned)
    backup = None
    if to_store:
        backup = create_backup(store, reason=REASON_BEFORE_CONSOLIDATION, thin=False, note=False)
    kept: dict[str, ReceivedPackage] = {}  # content hash -> the row just written
    whole = []
    try:
        # received packages are kept for good: not undoable
        operation = store.ops.run(f"Nhận {to_store} gói dữ liệu", undoable=False)
        # the log reaches the disk while later packages are checked, not all at COMMIT
        flusher = LogFlusher(store.path)
        with flusher, operation if to_store else contextlib.nullcontext():
            for n, fate in enumerate(planned):
                i, path, reader, _head, status, previous = fate
                if n + ahead < len(planned):
                    later = planned[n + ahead]
                    futures.append(pool.submit(_check_parts, later[2], later[3]))
                try:
                    package, raws = futures[n].result()
                    futures[n] = None  # its kept bytes go once written
                except AppError as exc:
                    batch.verdicts.append(_refused(path, exc))
                    continue
                whole.append((i, path, reader, package, status, previous))
                if not batch.ok or status not in ("added", "replaced"):
                    continue
                replaces = None
                if previous is not None:
                    replaces = kept.get(previous.content_sha256, previous).id
                kept[package.content_sha256] = repo.add(
                    content_sha256=package.content_sha256,
                    manifest=package.manifest,
                    stats=package.stats,
                    parts=[_incoming(reader, part, raws) for part in package.stored],
                    file_name=package.file_name,
                    replaces=replaces,
                )
                store.affiliates.note_sender(package.chapter_uuid, package.chapter_name)
                flusher.wrote(sum(part.length for part in package.stored))
            if not batch.ok:
                raise _Undo
            if backup is not None:
                note_backup(
                    store,
                    backup,
                    reason=REASON_BEFORE_CONSOLIDATION,
                    protected=backup.suffix == PROTECTED_SUFFIX,
                )
    except _Undo:
        kept.clear()
    except BaseException:
        if backup is not None:
            backup.unlink(missing_ok=True)
        raise
    if not batch.ok and backup is not None:
        backup.unlink(missing_ok=True)
        backup = None
    if backup is not None:
        thin_store_backups(store, backup.parent)
    return whole, kept, backup


def _nothing_kept(batch: Batch, checked, paths) -> None:
    """Some file was refused: the others are told they passed, but nothing is kept."""
    refused = {v.path for v in batch.verdicts}
    for path, _reader, package in checked:
        if path in refused:
            continue
        batch.verdicts.append(
            Verdict(
                path,
                True,
                f"Gói «{package.file_name}» ({package.chapter_name}, kỳ {package.period_code}) "
                "đạt kiểm tra nhưng chưa được nhận vì có gói khác bị từ chối.",
            )
        )
    order = {Path(p): i for i, p in enumerate(paths)}
    batch.verdicts.sort(key=lambda v: order.get(v.path, 0))


def _check_head(path: Path, password: str | None):
    """``(reader, package checked but for its parts)``, or the ``AppError`` that refused it."""
    try:
        reader = PackageFile(path, password=password)
    except AppError as exc:
        return exc
    try:
        return reader, reader.verify_head()
    except AppError as exc:
        reader.close()
        return exc
    except BaseException:
        reader.close()
        raise


def _check_parts(reader: PackageFile, head: VerifiedPackage):
    """``(package with every part checked, bytes kept to write by part name)``;
    ``AppError`` when a part fails."""
    raws: dict[str, KeptPart] = {}
    return reader.verify_parts(head, keep_raw=raws), raws


def _tell(batch: Batch, on_verdict) -> None:
    if on_verdict is not None:
        for verdict in batch.verdicts:
            on_verdict(verdict)


def _incoming(reader: PackageFile, part, raws: dict[str, KeptPart]) -> IncomingPart:
    """A part to write: the bytes kept when it was checked (re-encoded when smaller), else
    read again from the file (and compared)."""
    kept = raws.get(part.name)
    if kept is None:
        return IncomingPart(
            part.name, part.sha256, part.size, part.encoding, lambda: reader.raw(part)
        )

    def read() -> bytes:
        return raws.pop(part.name).content

    return IncomingPart(part.name, part.sha256, part.size, kept.encoding, read)


def _plan(store: Store, checked, batch: Batch) -> list[tuple]:
    """Each package's fate, oldest first: ``(index, path, reader, package, status,
    previous)`` with status added, replaced, unchanged (kept before, or twice in this
    command) or older. Two different packages made at the same moment by the same chapter
    for the same period are refused (one of them was altered)."""
    repo = store.exchange.packages
    order = sorted(
        range(len(checked)),
        key=lambda i: (datetime.fromisoformat(checked[i][2].created_at), i),
    )
    seen: set[str] = set()
    current: dict[tuple[str, str], object] = {}  # (chapter, period) -> package in force
    fates = []
    for i in order:
        path, reader, package = checked[i]
        key = (package.chapter_uuid, package.period_code)
        if key not in current:
            current[key] = repo.current(*key)
        previous = current[key]
        if package.content_sha256 in seen or repo.by_content(package.content_sha256):
            fates.append((i, path, reader, package, "unchanged", previous))
            continue
        seen.add(package.content_sha256)
        if previous is not None:
            new_time = datetime.fromisoformat(package.created_at)
            old_time = datetime.fromisoformat(previous.created_at)
            if new_time < old_time:
                fates.append((i, path, reader, package, "older", previous))
                continue
            if new_time == old_time:
                batch.verdicts.append(
                    _refused(
                        path,
                        PackageError(
                            f"Gói «{package.file_name}» cùng thời điểm tạo với gói của "
                            f"{package.chapter_name} kỳ {package.period_code} đã nhận nhưng "
                            "khác nội dung: một trong hai gói đã bị sửa đổi."
                        ),
                    )
                )
                continue
        fates.append(
            (i, path, reader, package, "added" if previous is None else "replaced", previous)
        )
        current[key] = package
    return fates


def find_chapter(store: Store, chapter: str, period_code: str) -> tuple[str, str]:
    """``(chapter_uuid, name)`` of the chapter named ``chapter`` (its name, tones and case
    aside, or its UUID) among the packages received for the period."""
    wanted = " ".join(fold(chapter).split())
    found = {}
    for package in store.exchange.packages.for_period(period_code, current_only=False):
        if chapter == package.chapter_uuid or wanted == " ".join(
            fold(package.chapter_name).split()
        ):
            found[package.chapter_uuid] = package.chapter_name
    if not found:
        raise AppError(
            f"Không có gói nào của {shown_text(chapter)} cho kỳ {period_code}; xem danh sách bằng "
            f"chapter-app chapters --period {period_code}."
        )
    if len(found) > 1:
        raise AppError(
            f"Có {len(found)} Hội cơ sở cùng tên {shown_text(chapter)} đã gửi gói kỳ "
            f"{period_code}; hãy ghi mã Hội (UUID) thay cho tên."
        )
    return next(iter(found.items()))


MAX_REASON = 500


def remove_package(
    store: Store, chapter: str, period: str, *, reason: str | None = None
) -> tuple[str, int]:
    """Remove the packages of ``chapter`` (a name or a UUID) for ``period``, after a backup;
    returns the chapter's name and how many packages went. The reason is kept as one line
    without control characters, at most ``MAX_REASON`` characters."""
    require_upper(store)
    reason = clean_text(reason) or None
    if reason is not None and len(reason) > MAX_REASON:
        raise AppError(f"Lý do dài quá {MAX_REASON} ký tự; hãy ghi ngắn lại.")
    code = parse_period(period).code
    chapter_uuid, name = find_chapter(store, chapter, code)
    create_backup(store, reason=REASON_BEFORE_CONSOLIDATION)
    count = store.exchange.packages.remove(chapter_uuid, code, reason=reason)
    return name, count
