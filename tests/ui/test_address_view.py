"""The address view: household, categories, sponsors, aid over time with totals, history."""

from __future__ import annotations

from datetime import date

from chapter_app.services.dossier import address_dossier
from chapter_app.ui.forms.address_view import AddressView


def test_an_address_shows_its_sponsors_aid_totals_and_history(qtbot, store):
    with store.operation("Chuẩn bị"):
        head = store.people.add(full_name="Đinh Văn Tư", birth_year=1948)
        poor = store.categories.list()[0]
        address = store.addresses.add(
            name="Hộ ông Đinh Văn Tư",
            head_person_id=head.id,
            opened_on=date(2024, 2, 1),
            category_ids=[poor.id],
        )
        store.addresses.household.add(address_id=address.id, person_id=head.id, relation="Chủ hộ")
        sponsor = store.sponsors.add(name="Công ty Bình Minh")
        store.commitments.add(
            sponsor_id=sponsor.id,
            address_id=address.id,
            start_on=date(2025, 1, 1),
            amount=500_000,
            frequency="hằng tháng",
        )
        for day, cash, goods in (
            (date(2025, 1, 20), 500_000, 0),
            (date(2025, 6, 1), 0, 300_000),
            (date(2026, 1, 25), 1_000_000, 250_000),
        ):
            store.aid.add(
                given_on=day,
                recipient_kind="address",
                address_id=address.id,
                cash_value=cash,
                goods_value=goods,
            )
    store.addresses.change_status(address.id, "out_of_hardship", date(2026, 6, 30))

    dossier = address_dossier(store, address.id)
    assert dossier.categories == [poor.name]
    assert [c["sponsor_name"] for c in dossier.commitments] == ["Công ty Bình Minh"]
    assert (dossier.aid_cash, dossier.aid_goods, dossier.aid_total) == (
        1_500_000,
        550_000,
        2_050_000,
    )
    assert dossier.aid_by_year() == [(2025, 2, 800_000), (2026, 1, 1_250_000)]
    assert [e.status for e in dossier.history] == ["following", "out_of_hardship"]

    view = AddressView(store, address.id)
    qtbot.addWidget(view)
    view.show()
    assert view.windowTitle() == "Địa chỉ nhân đạo: Hộ ông Đinh Văn Tư"
    assert view.total_line.text() == (
        "Tổng cộng 3 lượt: tiền mặt 1.500.000 đ, hiện vật 550.000 đ, tổng 2.050.000 đ"
    )
