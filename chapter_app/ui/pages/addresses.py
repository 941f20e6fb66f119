"""Địa chỉ nhân đạo: the humanitarian addresses (households in hardship)."""

from __future__ import annotations

from chapter_app.i18n import N_, _
from chapter_app.store.repository import Query
from chapter_app.ui.pages import labels
from chapter_app.ui.pages.base import RegisterPage
from chapter_app.ui.table_model import Column


class AddressesPage(RegisterPage):
    title = N_("Địa chỉ nhân đạo")
    repo_name = "addresses"
    form_kind = "address"
    noun = N_("địa chỉ nhân đạo")
    count_label = N_("Địa chỉ nhân đạo: {count}")
    search_placeholder = N_("Tìm tên hộ, chủ hộ, địa chỉ…")
    order_by = "name"
    person_key = "head_person_id"
    columns = (
        Column("name", N_("Tên địa chỉ"), sort="name", width=185),
        Column("head_name", N_("Chủ hộ"), width=150),
        Column("unit_id", N_("Thôn, tổ dân phố"), kind="lookup", lookup="unit", width=120),
        Column("street_address", N_("Địa chỉ"), width=160),
        Column("categories", N_("Diện"), width=200),
        Column(
            "opened_on", N_("Ngày nhận"), kind="date", sort="opened_on", width=90, optional=True
        ),
        Column(
            "status",
            N_("Tình trạng"),
            kind="choice",
            choices=labels.ADDRESS_STATUS,
            sort="status",
            width=120,
        ),
        Column("file_no", N_("Số hồ sơ"), sort="file_no", width=80, optional=True),
    )

    def build_filters(self) -> None:
        self.category_filter = self.add_combo("category", _("Mọi diện"), [])
        self.status_filter = self.add_combo(
            "status",
            _("Mọi tình trạng"),
            [(_(text), code) for code, text in labels.ADDRESS_STATUS.items()],
        )
        self.unit_filter = self.add_combo("unit_id", _("Mọi thôn, tổ"), [])

    def load_lookups(self) -> None:
        self._categories = {c.id: c.name for c in self.store.categories.list(Query())}
        units = {u.id: u.name for u in self.store.units.list(Query())}
        self.model.set_lookup("unit", units)
        self.category_filter.set_items([(name, cid) for cid, name in self._categories.items()])
        self.unit_filter.set_items(sorted(((n, uid) for uid, n in units.items())))

    def enrich_rows(self, rows) -> None:
        """The categories of each address of the page (one query per page of rows)."""
        if not rows:
            return
        names = getattr(self, "_categories", None)
        if names is None:
            names = self._categories = {c.id: c.name for c in self.store.categories.list(Query())}
        ids = [row["id"] for row in rows]
        links = self.store.addresses.category_links.list(Query(filters={"address_id": ids}))
        by_address: dict[int, list[str]] = {}
        for link in links:
            if link.category_id in names:
                by_address.setdefault(link.address_id, []).append(names[link.category_id])
        for row in rows:
            row["categories"] = "; ".join(by_address.get(row["id"], []))

    def extra_buttons(self):
        return [(_("Xem hồ sơ"), self.open_address, True)]

    def open_address(self) -> None:
        """The household's file, with its actions (commitments, aid, status, print)."""
        self.open_file("open_address_view")
