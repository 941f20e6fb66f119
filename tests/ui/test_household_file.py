"""The household's file acts: add, change and end a commitment; record aid; change the
status; print the file. Driven through the real widgets from a household with no sponsor."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from chapter_app.domain.validation import ValidationFailed
from chapter_app.services.commitments import end_commitment
from chapter_app.store.repository import Query
from chapter_app.ui.forms.address_view import AddressStatusDialog, AddressView
from chapter_app.ui.forms.aid_form import AidDialog
from chapter_app.ui.forms.commitment_form import CommitmentDialog
from chapter_app.ui.forms.commitments import EndCommitmentDialog
from chapter_app.ui.forms.sponsor_form import SponsorDialog
from chapter_app.ui.forms.sponsor_view import SponsorView
from tests.ui.journey import ANSWERS, choose, click, fill, pick, type_into, when_shown

TODAY = date(2026, 11, 23)


pytestmark = pytest.mark.usefixtures("form_clock")


@pytest.fixture
def household(store):
    with store.operation("Chuẩn bị"):
        head = store.people.add(full_name="Lê Thị Hoa", birth_year=1950)
        address = store.addresses.add(
            name="Hộ bà Lê Thị Hoa", head_person_id=head.id, opened_on=date(2025, 3, 1)
        )
    return address


def _pdf_text(path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def add_sponsor_and_commitment(qtbot, view, *, sponsor: str, amount: str, start: str):
    """From the household's file: a new sponsor, then their monthly commitment."""

    def in_sponsor_form(dialog: SponsorDialog) -> None:
        fill(dialog, {"name": sponsor, "phone": "0912345678"})
        click(dialog.save_button)

    def in_commitment_form(dialog: CommitmentDialog) -> None:
        when_shown(SponsorDialog, in_sponsor_form)
        click(dialog.new_sponsor_button)
        ANSWERS.check()
        assert dialog.sponsor.raw() is not None
        assert dialog.fields["frequency"].raw() == "hằng tháng"
        fill(dialog, {"start_on": start, "amount": amount})
        click(dialog.save_button)
        assert not dialog.isVisible(), [f.message_text() for f in dialog.fields.values()]

    when_shown(CommitmentDialog, in_commitment_form)
    click(view.commitments.add_button)
    ANSWERS.check()


def test_a_household_without_a_sponsor_gets_one_with_a_monthly_commitment(qtbot, store, household):
    view = AddressView(store, household.id)
    qtbot.addWidget(view)
    view.show()
    (empty,) = [w for w in view.findChildren(type(view.total_line)) if w.objectName()]
    assert empty.objectName() == "no_commitment"
    assert empty.text() == "Chưa có nhà tài trợ nhận đỡ đầu."
    assert view.commitments.add_button.text() == "Thêm nhà tài trợ đỡ đầu…"

    add_sponsor_and_commitment(
        qtbot, view, sponsor="Công ty Bình Minh", amount="500000", start="01/10/2026"
    )

    (commitment,) = store.commitments.list(Query())
    assert (commitment.address_id, commitment.amount, commitment.frequency) == (
        household.id,
        500_000,
        "hằng tháng",
    )
    assert store.sponsors.get(commitment.sponsor_id).name == "Công ty Bình Minh"
    table = view.commitments.table  # the file read itself again
    assert [table.item(0, c).text() for c in range(table.columnCount())] == [
        "Công ty Bình Minh",
        "01/10/2026",
        "chưa hết hạn",
        "Tiền mặt",
        "500.000 đ/tháng",
        "đang đỡ đầu",
    ]


def test_a_commitment_is_ended_from_the_file_and_stops_counting(qtbot, store, household):
    with store.operation("Chuẩn bị"):
        sponsor = store.sponsors.add(name="Chùa Thiên Ấn")
        store.commitments.add(
            sponsor_id=sponsor.id,
            address_id=household.id,
            start_on=date(2026, 1, 1),
            amount=300_000,
            frequency="hằng tháng",
        )
    view = AddressView(store, household.id)
    qtbot.addWidget(view)
    view.show()

    def end_it(dialog: EndCommitmentDialog) -> None:
        fill_end = dialog.end_on.line
        fill_end.clear()
        type_into(fill_end, "31/12/2025")  # before the start: refused, stays open
        assert not dialog.confirm()
        assert "sớm hơn ngày bắt đầu" in dialog.end_on.message_text()
        fill_end.clear()
        type_into(fill_end, "31/10/2026")
        type_into(dialog.reason.line, "Hộ đã thoát nghèo")
        click(dialog.ok_button)

    when_shown(EndCommitmentDialog, end_it)
    click(view.commitments.end_button)
    ANSWERS.check()
    (commitment,) = store.commitments.list(Query())
    assert commitment.end_on == date(2026, 10, 31)
    assert commitment.notes == "Kết thúc 31/10/2026: Hộ đã thoát nghèo"
    table = view.commitments.table
    assert table.item(0, 2).text() == "31/10/2026"
    assert table.item(0, 5).text() == "đã kết thúc"


def test_ending_a_commitment_before_its_start_writes_nothing(store, household):
    with store.operation("Chuẩn bị"):
        sponsor = store.sponsors.add(name="Chùa Thiên Ấn")
        commitment = store.commitments.add(
            sponsor_id=sponsor.id, address_id=household.id, start_on=date(2026, 1, 1)
        )
    undo = store.undo_label
    with pytest.raises(ValidationFailed):
        end_commitment(store, commitment.id, end_on=date(2025, 1, 1), today=TODAY)
    assert store.commitments.get(commitment.id).end_on is None
    assert store.undo_label == undo


def test_aid_and_a_status_change_are_recorded_from_the_file(qtbot, store, household):
    view = AddressView(store, household.id)
    qtbot.addWidget(view)
    view.show()

    def in_aid_form(dialog: AidDialog) -> None:
        assert dialog.fields["address_id"].raw() == household.id
        fill(dialog, {"given_on": "20/11/2026", "cash_value": "400000"})
        click(dialog.save_button)
        assert not dialog.isVisible(), [f.message_text() for f in dialog.fields.values()]

    when_shown(AidDialog, in_aid_form)
    click(view.action_buttons["record_aid"])
    ANSWERS.check()
    (aid,) = store.aid.list(Query())
    assert (aid.address_id, aid.cash_value) == (household.id, 400_000)
    assert view.total_line.text().startswith("Tổng cộng 1 lượt: tiền mặt 400.000 đ")

    def in_status(dialog: AddressStatusDialog) -> None:
        choose(dialog.new_status.combo, "Đã thoát khó khăn")
        fill_status = dialog.new_status_on.line
        type_into(fill_status, "22/11/2026")
        type_into(dialog.new_reason.line, "Có việc làm ổn định")
        click(dialog.status_button)

    when_shown(AddressStatusDialog, in_status)
    click(view.action_buttons["change_status"])
    ANSWERS.check()
    assert store.addresses.get(household.id).status == "out_of_hardship"
    assert "Đã thoát khó khăn từ 22/11/2026" in [
        label.text() for label in view.body.findChildren(type(view.total_line))
    ]


def test_the_printed_file_shows_the_sponsor_and_the_monthly_amount(
    qtbot, store, household, tmp_path
):
    with store.operation("Chuẩn bị"):
        sponsor = store.sponsors.add(name="Công ty Bình Minh")
        store.commitments.add(
            sponsor_id=sponsor.id,
            address_id=household.id,
            start_on=date(2026, 1, 1),
            amount=500_000,
            frequency="hằng tháng",
        )
        store.aid.add(
            given_on=date(2026, 2, 1),
            recipient_kind="address",
            address_id=household.id,
            cash_value=500_000,
        )
    view = AddressView(store, household.id)
    qtbot.addWidget(view)
    path = view.print_file(tmp_path / "ho-so.pdf")
    text = _pdf_text(path)
    assert "HỒ SƠ ĐỊA CHỈ NHÂN ĐẠO" in text
    assert "Hộ bà Lê Thị Hoa" in text
    assert "Công ty Bình Minh" in text
    assert "500.000 đ/tháng" in text
    assert "Tổng cộng 1 lượt" in text


def test_the_sponsor_file_takes_on_a_household(qtbot, store, household):
    with store.operation("Chuẩn bị"):
        sponsor = store.sponsors.add(name="Công ty Bình Minh")
    view = SponsorView(store, sponsor.id)
    qtbot.addWidget(view)
    view.show()
    assert view.commitments.add_button.text() == "Nhận đỡ đầu thêm…"

    def in_commitment_form(dialog: CommitmentDialog) -> None:
        assert dialog.sponsor.raw() == sponsor.id
        pick(dialog, "address_id", "Hoa", qtbot)
        fill(dialog, {"start_on": "01/11/2026", "amount": "1000000"})
        choose_text = dialog.fields["frequency"].combo
        choose_text.setCurrentIndex(choose_text.findText("hằng quý"))
        click(dialog.save_button)
        assert not dialog.isVisible(), [f.message_text() for f in dialog.fields.values()]

    when_shown(CommitmentDialog, in_commitment_form)
    click(view.commitments.add_button)
    ANSWERS.check()
    table = view.commitments.table
    assert table.item(0, 0).text() == "Hộ bà Lê Thị Hoa"
    assert table.item(0, 4).text() == "1.000.000 đ/quý"


def test_an_ended_commitment_cannot_be_ended_again_but_can_be_changed(qtbot, store, household):
    with store.operation("Chuẩn bị"):
        sponsor = store.sponsors.add(name="Chùa Thiên Ấn")
        store.commitments.add(
            sponsor_id=sponsor.id,
            address_id=household.id,
            start_on=date(2025, 1, 1),
            end_on=date(2025, 12, 31),
        )
    view = AddressView(store, household.id)
    qtbot.addWidget(view)
    view.show()
    box = view.commitments
    assert box.table.item(0, 5).text() == "đã kết thúc"
    assert not box.end_button.isEnabled()
    assert box.edit_button.isEnabled()
    assert box.end() is False


def test_a_commitment_opened_from_a_file_does_not_reuse_the_last_sponsor(qtbot, store, household):
    with store.operation("Chuẩn bị"):
        first = store.sponsors.add(name="Công ty Bình Minh")
        other = store.addresses.add(name="Hộ ông Đinh Văn Tư", opened_on=date(2025, 3, 1))
    dialog = CommitmentDialog(store)
    qtbot.addWidget(dialog)
    dialog.preset({"address_id": other.id})
    dialog.fields["sponsor_id"].set_raw(first.id)
    dialog.fields["amount"].set_raw(200_000)
    assert dialog.save()  # remembered for "Lưu và thêm mới": sponsor, dates, amount

    again = CommitmentDialog(store)
    qtbot.addWidget(again)
    again.preset({"address_id": household.id})
    assert again.fields["address_id"].raw() == household.id
    assert again.fields["sponsor_id"].raw() is None
