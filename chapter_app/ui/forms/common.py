"""Pieces several forms share: reference lists, person fields, pickers over the register."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFormLayout, QMessageBox, QPushButton

from chapter_app.domain.models import Person
from chapter_app.domain.privacy import mask_id
from chapter_app.domain.text import clean_text
from chapter_app.errors import AppError
from chapter_app.i18n import N_, _
from chapter_app.store.repository import Query
from chapter_app.ui.forms import labels
from chapter_app.ui.forms.widgets import (
    BirthField,
    ChoiceField,
    IdNumberField,
    PhoneField,
    RecordPicker,
    TextField,
)

SEARCH_LIMIT = 20


def person_label(person: Person) -> str:
    """``Nguyễn Văn An (1980) · 051******456`` for pickers and lists."""
    text = person.full_name
    if person.birth_year:
        text += f" ({person.birth_year})"
    if person.id_number:
        text += f" · {mask_id(person.id_number)}"
    return text


def branch_choices(store) -> list[tuple[str, int]]:
    return [(b.name, b.id) for b in store.branches.list(Query()) if b.dissolved_on is None]


def unit_choices(store) -> list[tuple[str, int]]:
    return [(u.name, u.id) for u in store.units.list(Query()) if u.merged_into_id is None]


def list_choices(store, kind: str) -> list[tuple[str, int | str]]:
    """The shown (not hidden) entries of a reference list in their order, by their English
    name in the English interface; aid forms give their code, the others their id."""
    from chapter_app.i18n import language
    from chapter_app.services.reference_lists import list_entries

    lang = language()
    return [
        (e.label(lang), e.code if kind == "forms" else e.id)
        for e in list_entries(store, kind, include_hidden=False, with_uses=False)
    ]


def campaign_choices(store) -> list[tuple[str, int]]:
    return list_choices(store, "campaigns")


def area_choices(store) -> list[tuple[str, int]]:
    return list_choices(store, "areas")


def aid_form_choices(store, current: str | None = None) -> list[tuple[str, str]]:
    """The aid forms of the editable list (codes), for the aid, distribution and
    commitment forms; ``current`` (an old record's form, hidden since) is kept at the end."""
    choices = list_choices(store, "forms")
    if current is not None and all(code != current for _text, code in choices):
        choices.append((aid_form_labels(store).get(current, current), current))
    return choices


def aid_form_labels(store) -> dict[str, str]:
    """``code -> name`` of every aid form of the register (hidden ones too), in the
    interface's language, to show the form of stored records."""
    from chapter_app.i18n import language
    from chapter_app.services.reference_lists import labels as list_labels

    return list_labels(store, "forms", language())


def aid_form_field(store) -> ChoiceField:
    """The "Hình thức" list of the aid, distribution and commitment forms."""
    field = ChoiceField(aid_form_choices(store))
    field.combo.setObjectName("aidForm")
    return field


def set_aid_form(field: ChoiceField, store, code: str | None, *, default: str) -> None:
    """Show ``code`` (an old record's, kept in the list even when hidden since), or the
    ``default`` for a new record (the list's first form when it is no longer offered)."""
    field.set_items(aid_form_choices(store, code))
    field.set_raw(code if code is not None else default)


def sponsor_choices(store) -> list[tuple[str, int]]:
    return [(s.name, s.id) for s in store.sponsors.list(Query())]


def category_choices(store) -> list[tuple[str, int]]:
    return list_choices(store, "categories")


def person_search(store):
    def search(text: str) -> list[tuple[int, str]]:
        return [(p.id, person_label(p)) for p in store.people.search(text, limit=SEARCH_LIMIT)]

    return search


def person_label_of(store):
    def label_of(person_id: int) -> str:
        person = store.people.find(person_id)
        return person_label(person) if person else ""

    return label_of


def address_label_of(store):
    def label_of(address_id: int) -> str:
        rows = store.addresses.rows(Query(filters={"id": address_id}))
        return address_label(rows[0]) if rows else ""

    return label_of


def sponsor_label_of(store):
    def label_of(sponsor_id: int) -> str:
        sponsor = store.sponsors.find(sponsor_id)
        return sponsor.name if sponsor else ""

    return label_of


def address_label(row: dict[str, Any]) -> str:
    text = row["name"]
    if row.get("head_name") and row["head_name"] not in text:
        text += f" – {row['head_name']}"
    if row.get("street_address"):
        text += f" · {row['street_address']}"
    return text


def address_search(store):
    def search(text: str) -> list[tuple[int, str]]:
        rows = store.addresses.rows(Query(search=text, limit=SEARCH_LIMIT))
        return [(row["id"], address_label(row)) for row in rows]

    return search


def sponsor_search(store):
    def search(text: str) -> list[tuple[int, str]]:
        return [(s.id, s.name) for s in store.sponsors.list(Query(search=text, limit=SEARCH_LIMIT))]

    return search


def ensure_with(choices: list[tuple[str, int]], repo, current: int | None, name_of):
    """Add the record ``current`` to ``choices`` when it is no longer offered (merged unit,
    dissolved branch), so editing an old record still shows its value."""
    if current is not None and all(value != current for _text, value in choices):
        record = repo.find(current)
        if record is not None:
            choices = [*choices, (name_of(record), current)]
    return choices


BUTTON_NAME_MAX = 40  # letters of a typed name shown on a button (the form stays narrow)


def _short(name: str) -> str:
    """``name`` cut to ``BUTTON_NAME_MAX`` letters with "…" (the whole name in tooltips)."""
    return name if len(name) <= BUTTON_NAME_MAX else name[: BUTTON_NAME_MAX - 1].rstrip() + "…"


class InlineAdd:
    """Under a searchable list field: a button "Thêm chi hội «…»" shown while the typed
    name is not in the list; after a confirmation it adds the name (its own operation)
    and picks it."""

    def __init__(
        self,
        dialog,
        form: QFormLayout,
        field: ChoiceField,
        *,
        name: str,
        button_text: str,
        question: str,
        create: Callable[..., Any],
        choices: Callable[[Any], list[tuple[str, int]]],
    ):
        self.dialog = dialog
        self.form = form
        self.field = field
        self.button_text = button_text
        self.question = question
        self.create = create
        self.choices = choices
        self.button = QPushButton()
        self.button.setObjectName(name)
        self.button.setAutoDefault(False)
        self.button.clicked.connect(lambda _checked=False: self.add())
        form.addRow("", self.button)
        form.setRowVisible(self.button, False)
        field.combo.editTextChanged.connect(lambda _text: self.update())
        field.changed.connect(self.update)

    def typed(self) -> str | None:
        """The name typed when it names nothing in the list, else None."""
        raw = self.field.raw()
        return clean_text(raw) or None if isinstance(raw, str) else None

    def update(self) -> None:
        name = self.typed()
        shown = name is not None and not self.dialog.store.read_only
        if shown:
            self.button.setText(_(self.button_text).format(name=_short(name)))
            self.button.setToolTip(name)
        self.form.setRowVisible(self.button, shown)

    def add(self) -> Any:
        """Ask, then add the typed name and pick it; the new record, or None."""
        name = self.typed()
        if name is None:
            return None
        answer = QMessageBox.question(
            self.dialog,
            _(self.button_text).format(name=_short(name)),
            _(self.question).format(name=name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        try:
            record = self.create(self.dialog.store, name=name)
        except AppError as error:
            self.dialog._error_box(error.message)
            return None
        self.field.set_items(self.choices(self.dialog.store))
        self.field.set_raw(record.id)
        self.field.revalidate()
        self.field.changed.emit()
        self.update()
        return record


ADD_BRANCH = N_("Thêm chi hội «{name}»")
ADD_BRANCH_QUESTION = N_(
    "Chưa có chi hội «{name}» trong danh sách. Thêm chi hội này?\n\n"
    "Sửa loại chi hội, thôn thuộc chi hội ở trang Tổ chức."
)
ADD_UNIT = N_("Thêm thôn «{name}»")
ADD_UNIT_QUESTION = N_("Chưa có thôn, tổ dân phố «{name}» trong danh sách. Thêm vào danh sách?")


def inline_add_branch(dialog, form: QFormLayout, field: ChoiceField) -> InlineAdd:
    """ "Thêm chi hội «…»" under the chi hội field of the member and volunteer forms."""
    from chapter_app.services.organisation import add_branch

    return InlineAdd(
        dialog,
        form,
        field,
        name="add_branch",
        button_text=ADD_BRANCH,
        question=ADD_BRANCH_QUESTION,
        create=add_branch,
        choices=branch_choices,
    )


class PersonFields:
    """The person part of the member and volunteer forms.

    Picking someone already on file fills the fields from them, and the role is then
    attached to that person instead of a new one.
    """

    def __init__(self, dialog, form: QFormLayout, *, with_existing: bool):
        self.dialog = dialog
        self.store = dialog.store
        self.person_id: int | None = None
        self.existing: RecordPicker | None = None
        if with_existing:
            self.existing = RecordPicker(
                "person_id",
                person_search(self.store),
                placeholder=_("gõ tên để tìm (để trống nếu là người mới)"),
            )
            dialog.add(form, "person_id", _("Người đã có trong sổ"), self.existing)
            self.existing.picked.connect(self._picked)
        self.name = dialog.add(
            form,
            "full_name",
            _("Họ và tên"),
            TextField("full_name", max_length=100, required=True),
            required=True,
            aliases=("family_name", "middle_name", "given_name"),
        )
        self.sex = dialog.add(
            form, "sex", _("Giới tính"), ChoiceField(labels.choices(labels.SEX), blank="—")
        )
        self.birth = dialog.add(form, "birth", _("Ngày sinh hoặc năm sinh"), BirthField())
        self.id_number = dialog.add(
            form,
            "id_number",
            _("Số định danh (CCCD)"),
            IdNumberField(sex=lambda: self.sex.raw(), birth_year=lambda: self.birth.birth_year()),
        )
        self.phone = dialog.add(form, "phone", _("Điện thoại"), PhoneField())
        self.address = dialog.add(
            form, "address", _("Địa chỉ"), TextField("address", max_length=300)
        )
        self.unit = dialog.add(
            form,
            "unit_id",
            _("Thôn, tổ dân phố"),
            ChoiceField(unit_choices(self.store), blank=_("— chưa chọn —"), searchable=True),
        )
        from chapter_app.services.organisation import add_unit

        self.add_unit = InlineAdd(
            dialog,
            form,
            self.unit,
            name="add_unit",
            button_text=ADD_UNIT,
            question=ADD_UNIT_QUESTION,
            create=add_unit,
            choices=unit_choices,
        )
        self.sex.changed.connect(self.id_number.cross_check)
        self.birth.changed.connect(self.id_number.cross_check)
        if with_existing:
            dialog.first_key = "full_name"

    def _picked(self, person_id: int | None) -> None:
        self.person_id = person_id
        if person_id is not None:
            self.fill(self.store.people.get(person_id))

    def fill(self, person: Person) -> None:
        self.person_id = person.id
        self.name.set_raw(person.full_name)
        self.sex.set_raw(person.sex)
        if person.birth_date is not None:
            self.birth.set_raw(person.birth_date)
        else:
            self.birth.set_raw(person.birth_year)
        self.id_number.set_raw(person.id_number)
        self.phone.set_raw(person.phone)
        self.address.set_raw(person.address)
        if person.unit_id is not None:
            self.unit.set_items(
                ensure_with(
                    unit_choices(self.store), self.store.units, person.unit_id, lambda u: u.name
                )
            )
        self.unit.set_raw(person.unit_id)

    def raw(self, values: dict[str, Any]) -> dict[str, Any]:
        """The dialog's raw values as the services want them."""
        values = dict(values)
        values.pop("person_id", None)
        if self.person_id is not None and self.existing is not None:
            values["person_id"] = self.person_id
        return values

    def reset(self) -> None:
        self.person_id = None


def person_picker(store, key: str, *, placeholder: str = "") -> RecordPicker:
    return RecordPicker(
        key, person_search(store), placeholder=placeholder, label_of=person_label_of(store)
    )


def address_picker(store, key: str = "address_id") -> RecordPicker:
    return RecordPicker(
        key,
        address_search(store),
        placeholder=_("gõ tên hộ, chủ hộ hoặc địa chỉ để tìm"),
        label_of=address_label_of(store),
    )


def sponsor_picker(store, key: str = "sponsor_id") -> RecordPicker:
    return RecordPicker(
        key,
        sponsor_search(store),
        placeholder=_("gõ tên nhà tài trợ để tìm"),
        label_of=sponsor_label_of(store),
    )
