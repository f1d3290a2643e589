"""One address: its helpers, its aid, and a line to enter aid quickly, with totals as you type."""

from __future__ import annotations

import uuid
from datetime import date

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Label, Select, Static

from campaign import queries, vocab
from campaign.dates import DateError, format_date, parse_date
from campaign.money import MoneyError, format_money, format_number, parse_money
from campaign.text import clean, fold
from store.errors import StoreError
from store.store import Store, data_of
from tui.labels import EXCLUDED_SHORT, SIDE_SHORT
from tui.literal import quoted, visible
from tui.screens.dialogs import ConfirmScreen
from tui.screens.export import export_address, export_binding
from tui.screens.forms import AddressForm, AttachmentForm, HelperForm, helpers_for
from tui.screens.history import HistoryScreen
from tui.screens.office import OfficeScreen, attempted
from tui.screens.review import StopScreen
from tui.widgets.fields import FieldError, FoldedSuggester, FormInput, tidy
from tui.widgets.record_table import Column, RecordTable


class AddressDetail(OfficeScreen):
    """An address with its attachments and aid; the entry line at the bottom adds aid."""

    TITLE = "Hồ sơ địa chỉ"
    BINDINGS = [
        Binding("ctrl+s", "save_aid", "Lưu trợ giúp", id="detail.save"),
        Binding("ctrl+t", "enter_aid", "Nhập trợ giúp", id="detail.aid"),
        Binding("ctrl+e", "edit", "Sửa địa chỉ", id="detail.edit"),
        Binding("ctrl+g", "attach", "Gắn người trợ giúp", id="detail.attach"),
        Binding("ctrl+k", "stop_attachment", "Dừng gắn", id="detail.stop"),
        Binding("delete", "delete_row", "Xoá dòng", id="detail.delete"),
        Binding("escape", "back", "Quay lại", id="detail.back"),
        export_binding("detail"),
        Binding("l", "history", "Lịch sử", id="detail.history"),
        Binding(
            "L",
            "history('address')",
            "Lịch sử địa chỉ",
            id="detail.address_history",
            key_display="Shift+L",
            show=False,
        ),
    ]
    action_export = export_address

    def __init__(self, store: Store, address_id: str) -> None:
        super().__init__(store)
        self.address_id = address_id
        self.address: dict = store.get("address", address_id) or {}
        self.helpers = helpers_for(store, self.address["unit"])
        self.editing: str | None = None  # the id of the aid record being corrected, if any
        self.pending_draft: dict | None = None  # typing to put back once the screen is shown
        self._aid: list[dict] = []
        self._links: list[dict] = []  # the attachments shown, oldest first
        self._kept_on: str | None = None  # the date of the last aid added, for the next one
        self._warned = False  # the preview shows what was asked about before saving

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        yield Label("Người trợ giúp gắn với địa chỉ", classes="section")
        yield RecordTable(
            [
                Column("Người trợ giúp"),
                Column("Phía", 10),
                Column("Từ ngày", 10),
                Column("Đến ngày", 10),
                Column("Lý do dừng", 16),
            ],
            empty="Chưa gắn người trợ giúp nào (Ctrl+G để gắn).",
            id="attachments",
        )
        yield Label("Các lần trợ giúp", classes="section")
        yield RecordTable(
            [
                Column("Ngày", 10),
                Column("Người trợ giúp"),
                Column("Hình thức", 14),
                Column("Giá trị (đ)", 13, right=True),
                Column("Không tính", 15, hide_below=72),
                Column("Ghi chú", 20, hide_below=110),
            ],
            empty="Chưa có lần trợ giúp nào.",
            id="aid",
        )
        yield Static(id="totals")
        with Vertical(id="entry"):
            with Horizontal():
                yield FormInput(placeholder="ngày", compact=True, id="aid-on")
                yield FormInput(
                    placeholder="người trợ giúp",
                    compact=True,
                    id="aid-helper",
                    suggester=FoldedSuggester(self.helpers.names()),
                )
                yield FormInput(
                    placeholder="hình thức",
                    compact=True,
                    id="aid-form",
                    suggester=FoldedSuggester(self._forms()),
                )
                yield FormInput(placeholder="giá trị: 1,5tr", compact=True, id="aid-value")
                yield Select(
                    [(label, code) for code, label in EXCLUDED_SHORT.items()],
                    prompt="Được tính",
                    compact=True,
                    id="aid-excluded",
                )
            yield Static(id="preview")
        yield Footer()

    def _forms(self) -> list[str]:
        used = {a["form"] for a in self.store.records("aid") if a.get("form")}
        return sorted(used | set(vocab.AID_FORMS))

    def on_mount(self) -> None:
        self.reload()
        self.clear_entry()
        self.query_one("#aid", RecordTable).focus()
        if self.pending_draft is not None:
            self._restore_draft(self.pending_draft)
            self.pending_draft = None

    def on_screen_resume(self) -> None:
        self.reload()
        if self._warned:
            self._recheck()

    # ----------------------------------------------------------------- showing

    def reload(self) -> None:
        address = self.store.get("address", self.address_id)
        if address is None:
            return
        self.address = address
        self.sub_title = address["name"]
        groups = ", ".join(vocab.GROUPS[g] for g in address["groups"]) or "chưa ghi nhóm"
        dates = [
            f"khảo sát {format_date(address['surveyed_on'])}" if address["surveyed_on"] else "",
            f"lập hồ sơ {format_date(address['dossier_on'])}" if address["dossier_on"] else "",
            f"dừng {format_date(address['stopped_on'])}" if address["stopped_on"] else "",
        ]
        stop = f" — {address['stop_reason']}" if address["stop_reason"] else ""
        deleted = _markup(" [ĐÃ XOÁ]") if address["deleted"] else ""
        place = _markup(address["place"] or "chưa ghi nơi ở")
        self.query_one("#summary", Static).update(
            f"[b]{_markup(address['name'])}[/b]{deleted} · {vocab.ADDRESS_KINDS[address['kind']]}, "
            f"{format_number(address['people'])} người · {place} · "
            f"{_markup(self.store.units.name(address['unit']))}\n"
            f"{_markup(groups)} · {queries.STATUS_LABELS[queries.status(address)]}: "
            f"{', '.join(d for d in dates if d)}{_markup(stop)}"
        )
        helpers = {h["id"]: h for h in self.store.records("helper", live=False)}
        attachments = [
            a for a in self.store.records("attachment") if a["address"] == self.address_id
        ]
        attachments.sort(key=lambda a: a["from"])
        self._links = attachments
        self.query_one("#attachments", RecordTable).set_rows(
            [
                (
                    a["id"],
                    (
                        helpers[a["helper"]]["name"] if a["helper"] in helpers else "?",
                        SIDE_SHORT[helpers[a["helper"]]["side"]] if a["helper"] in helpers else "",
                        format_date(a["from"]),
                        format_date(a.get("until")),
                        a.get("stop_reason") or "",
                    ),
                )
                for a in attachments
            ]
        )
        self._aid = [dict(a) for a in self.store.records("aid") if a["address"] == self.address_id]
        self._aid.sort(key=lambda a: a["on"], reverse=True)
        table = self.query_one("#aid", RecordTable)
        table.set_rows(
            [
                (
                    a["id"],
                    (
                        format_date(a["on"]),
                        helpers[a["helper"]]["name"] if a.get("helper") in helpers else "—",
                        a.get("form") or "",
                        format_number(a["value"]),
                        EXCLUDED_SHORT.get(a.get("excluded") or "", ""),
                        a.get("note") or "",
                    ),
                )
                for a in self._aid
            ],
            keep=table.current_key,
        )
        self.update_totals()

    def update_totals(self, pending: int | None = None, pending_counts: bool = True) -> None:
        counted = sum(
            a["value"] for a in self._aid if not a.get("excluded") and a["id"] != self.editing
        )
        excluded = sum(
            a["value"] for a in self._aid if a.get("excluded") and a["id"] != self.editing
        )
        line = (
            f"{format_number(len(self._aid))} lần trợ giúp · được tính: {format_money(counted)}"
            f" · không tính: {format_money(excluded)}"
        )
        if pending is not None:
            after = counted + pending if pending_counts else counted
            line += f" · sau khi lưu: {format_money(after)}"
        edited = self._edited()
        if edited is not None:
            line += f" · đang sửa lần ngày {format_date(edited['on'])}"
        self.query_one("#totals", Static).update(line)

    def _edited(self) -> dict | None:
        """The aid being corrected in the entry line, if any."""
        return next((a for a in self._aid if a["id"] == self.editing), None)

    # ----------------------------------------------------------------- the entry line

    def clear_entry(self) -> None:
        """An empty entry line; its date is the last aid's added here (a batch of old aid is
        typed day by day), today's for the first."""
        self.editing = None
        on = self._kept_on or self.store.today().isoformat()
        self.query_one("#aid-on", Input).value = format_date(on)
        for selector in ("#aid-helper", "#aid-form", "#aid-value"):
            self.query_one(selector, Input).value = ""
        self.query_one("#aid-excluded", Select).clear()
        self._warned = False
        self._show_preview()

    def _hint(self) -> str:
        first = "Ngày như lần vừa lưu (gõ đè để đổi)" if self._kept_on else "Gõ ngày"
        return (
            f"{first} › người trợ giúp (→ nhận gợi ý) › hình thức › giá trị (1,5tr; 500k), "
            "Enter sau mỗi ô; Enter ở ô giá trị là lưu."
        )

    def unsaved(self) -> bool:
        return self.editing is not None or not self._entry_is_empty()

    _ENTRY = ("aid-on", "aid-helper", "aid-form", "aid-value")

    def draft(self) -> dict | None:
        """The aid half typed in the entry line, to keep when the terminal is closed."""
        if not self.unsaved():
            return None
        values: dict[str, object] = {
            name: self.query_one(f"#{name}", Input).value for name in self._ENTRY
        }
        excluded = self.query_one("#aid-excluded", Select).value
        values["aid-excluded"] = excluded if isinstance(excluded, str) else None
        return {"form": "AddressDetail", "record": self.address_id, "editing": self.editing,
                "values": values}  # fmt: skip

    @classmethod
    def from_draft(cls, store: Store, draft: dict) -> AddressDetail | None:
        if store.get("address", str(draft.get("record"))) is None:
            return None
        return cls(store, str(draft["record"]))

    def _restore_draft(self, draft: dict) -> None:
        values = draft.get("values") or {}
        editing = draft.get("editing")
        if isinstance(editing, str) and self.store.get("aid", editing) is not None:
            self.editing = editing
        for name in self._ENTRY:
            if isinstance(values.get(name), str):
                self.query_one(f"#{name}", Input).value = values[name]
        if values.get("aid-excluded") in EXCLUDED_SHORT:
            self.query_one("#aid-excluded", Select).value = values["aid-excluded"]

    def _entry_is_empty(self) -> bool:
        return not any(
            self.query_one(s, Input).value.strip()
            for s in ("#aid-helper", "#aid-form", "#aid-value")
        )

    @on(Input.Changed, "#entry Input")
    @on(Select.Changed, "#aid-excluded")
    def _changed(self) -> None:
        """What was said about the line before (a question answered «Sửa lại») no longer holds
        once a box changes: the preview says what the line holds now."""
        self._warned = False
        self._show_preview()

    def _show_preview(self) -> None:
        """The line under the entry: which aid is being corrected, the amount as read (or what
        is wrong with it), else how to type the line."""
        said = []
        edited = self._edited()
        if edited is not None:
            said.append(
                f"[b]Đang sửa lần trợ giúp ngày {format_date(edited['on'])} — Ctrl+S lưu, "
                "Esc thôi[/b]"
            )
        text = self.query_one("#aid-value", Input).value.strip()
        excluded = self.query_one("#aid-excluded", Select).value
        amount = None
        if text:
            try:
                amount = parse_money(text)
            except MoneyError as error:
                said.append(f"[red]{_markup(str(error))}[/red]")
            else:
                said.append(
                    f"= {format_money(amount)}"
                    + (" (không tính)" if excluded is not Select.NULL else "")
                )
        elif edited is None:
            said.append(self._hint())
        self.query_one("#preview", Static).update(" · ".join(said))
        if amount is None:
            self.update_totals()
        else:
            self.update_totals(amount, pending_counts=excluded is Select.NULL)

    def _warn(self, warnings: list[str]) -> None:
        """What was asked about before saving, kept under the line while it still holds."""
        self._warned = True
        self.query_one("#preview", Static).update(
            f"[red]{_markup(' '.join(warnings))}[/red] Sửa lại rồi Ctrl+S để lưu."
        )

    def _recheck(self) -> None:
        """Back on the screen (a helper linked, say): what was said is said again only if it
        still holds."""
        try:
            warnings = self.warnings(self._entry_record())
        except FieldError:
            warnings = []
        if warnings:
            self._warn(warnings)
        else:
            self._warned = False
            self._show_preview()

    def on_input_blurred(self, event: Input.Blurred) -> None:
        # Not when the box has the focus again by now (a burst: saved and back to the date,
        # the next date already being typed).
        if event.input.id == "aid-on" and not event.input.has_focus:
            tidy(event.input)

    def field_done(self, widget: Widget) -> None:
        """Enter in the entry line: the next box gets the focus now; after the value, save."""
        order = ["aid-on", "aid-helper", "aid-form", "aid-value"]
        if widget.id == order[-1] or widget.id not in order:
            self.action_save_aid()
        else:
            self.set_focus(self.query_one(f"#{order[order.index(widget.id) + 1]}", Input))

    def _entry_record(self) -> dict:
        try:
            on = parse_date(self.query_one("#aid-on", Input).value).isoformat()
        except DateError as error:
            raise FieldError(f"Ngày: {error}") from None
        typed = clean(self.query_one("#aid-helper", Input).value) or None
        if typed and not any(fold(n) == fold(typed) for n in self.helpers.names()):
            raise UnknownHelper(typed)
        helper = self.helpers.resolve(typed)
        text = self.query_one("#aid-value", Input).value.strip()
        if not text:
            raise FieldError("Hãy nhập giá trị của lần trợ giúp, ví dụ 500k hoặc 1,5tr.")
        try:
            value = parse_money(text)
        except MoneyError as error:
            raise FieldError(str(error)) from None
        excluded = self.query_one("#aid-excluded", Select).value
        previous = next((a for a in self._aid if a["id"] == self.editing), {})
        return {
            "id": self.editing or str(uuid.uuid4()),
            "address": self.address_id,
            "helper": helper,
            "on": on,
            "form": clean(self.query_one("#aid-form", Input).value) or None,
            "value": value,
            "excluded": None if excluded is Select.NULL else excluded,
            "note": previous.get("note"),
        }

    def action_save_aid(self) -> None:
        try:
            record = self._entry_record()
        except UnknownHelper as unknown:
            self._offer_new_helper(unknown.name)
            return
        except FieldError as error:
            self._show_problem(str(error))
            return
        problems = [p.detail for p in self.store.check([("aid", record, None)])[1]]
        if problems:
            self._show_problem("\n".join(problems))
            return
        self._ask_form(record)

    def _ask_form(self, record: dict) -> None:
        """A form not in the list that is close to one of it («tien» → «Tiền mặt», as → would
        complete it) is asked about: the known one, or kept as typed (offices have forms of their
        own). One like none is a new form, saved as typed."""
        typed = record.get("form")
        known = self._forms()
        match = FoldedSuggester(known).best(typed) if typed and typed not in known else None
        if match is None:
            self._ask_warnings(record)
            return

        def answered(use: bool | None) -> None:
            box = self.query_one("#aid-form", Input)
            if use is None:
                self.set_focus(box)
                return
            if use:
                record["form"] = match
                box.value = visible(match)
            self._ask_warnings(record)

        self.app.push_screen(
            FormQuestion(
                f"Hình thức {quoted(typed)} chưa có trong danh sách. Dùng {quoted(match)}? "
                "(Y: dùng, N: giữ như đã gõ)",
                yes="Dùng",
                no="Giữ như đã gõ",
            ),
            answered,
        )

    def _ask_warnings(self, record: dict) -> None:
        warnings = self.warnings(record)
        if not warnings:
            self._save_aid(record)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._save_aid(record)
            else:
                self._warn(warnings)
                self.set_focus(self.query_one("#aid-value", Input))

        self.app.push_screen(
            ConfirmScreen(
                "\n".join(warnings) + "\n\nVẫn lưu lần trợ giúp này?", yes="Vẫn lưu", no="Sửa lại"
            ),
            answered,
        )

    def warnings(self, record: dict) -> list[str]:
        """What may be a mistake in an aid the rules accept: the clerk is asked before saving
        (a records file holding it still loads)."""
        found = []
        if record["value"] == 0:
            found.append("Giá trị là 0 đ.")
        helper_id = record.get("helper")
        if helper_id:
            helper = self.store.get("helper", helper_id) or {}
            name = quoted(helper.get("name", ""))
            links = [
                a
                for a in self.store.records("attachment")
                if a["address"] == self.address_id and a["helper"] == helper_id
            ]
            if not links:
                found.append(f"{name} chưa được gắn với địa chỉ này (Ctrl+G để gắn).")
            elif not any(
                a["from"] <= record["on"] <= (a.get("until") or "9999-12-31") for a in links
            ):
                periods = ", ".join(
                    f"{format_date(a['from'])}–{format_date(a.get('until')) or 'nay'}"
                    for a in sorted(links, key=lambda a: a["from"])
                )
                found.append(
                    f"Ngày {format_date(record['on'])} ngoài thời gian {name} được gắn với "
                    f"địa chỉ này ({periods})."
                )
        if not self.address.get("dossier_on"):
            found.append(
                "Địa chỉ chưa có ngày lập hồ sơ (mới khảo sát); lần trợ giúp vẫn được tính."
            )
        return found

    def _show_problem(self, message: str) -> None:
        self.query_one("#preview", Static).update(f"[red]{_markup(message)}[/red]")
        self.notify(message, severity="error")

    def _offer_new_helper(self, name: str) -> None:
        """A helper not yet registered: add it here, then the aid typed is saved with it."""

        def added(helper: dict | None) -> None:
            self.refresh_helpers()
            if helper:
                self.query_one("#aid-helper", Input).value = visible(helper["name"])
                self.action_save_aid()
            else:
                self.query_one("#aid-helper", Input).focus()

        def answered(yes: bool | None) -> None:
            if yes:
                form = HelperForm(self.store, name=name, unit=self.address["unit"])
                self.app.push_screen(form, added)
            else:
                self._show_problem(f"Không có người trợ giúp tên {quoted(name)}.")
                self.query_one("#aid-helper", Input).focus()

        self.app.push_screen(
            ConfirmScreen(
                f"Không có người trợ giúp tên {quoted(name)}. Thêm người trợ giúp này? "
                "(lần trợ giúp đang nhập được giữ lại)",
                yes="Thêm",
                no="Không",
            ),
            answered,
        )

    def refresh_helpers(self) -> None:
        self.helpers = helpers_for(self.store, self.address["unit"])
        box = self.query_one("#aid-helper", Input)
        box.suggester = FoldedSuggester(self.helpers.names())

    def _save_aid(self, record: dict) -> None:
        """Save, then the entry line is empty and its date box focused, at once: the keys typed
        ahead of a slow PC after the Enter that saved go to the next aid's date."""
        new_form = record.get("form") and record["form"] not in self._forms()
        try:
            saved = self.store.save("aid", record)
        except StoreError as error:
            problems = getattr(error, "problems", None)
            message = "\n".join(p.detail for p in problems) if problems else str(error)
            self.query_one("#preview", Static).update(f"[red]{_markup(message)}[/red]")
            self.notify(message, severity="error")
            return
        form = f" (hình thức mới {quoted(saved['form'])})" if new_form else ""
        self.notify(
            f"Đã lưu lần trợ giúp {format_money(saved['value'])} ngày {format_date(saved['on'])}"
            f"{form}."
        )
        if not self.editing:
            self._kept_on = saved["on"]
        self.reload()
        self.clear_entry()
        if new_form:
            self.query_one("#aid-form", Input).suggester = FoldedSuggester(self._forms())
        date_box = self.query_one("#aid-on", Input)
        self.set_focus(date_box)
        date_box.select_all()  # typed over; Enter keeps it

    def action_enter_aid(self) -> None:
        self.query_one("#aid-on", Input).focus()

    @on(RecordTable.Selected, "#aid")
    def _correct(self, event: RecordTable.Selected) -> None:
        """Enter on an aid record puts it in the entry line to be corrected."""
        record = next(a for a in self._aid if a["id"] == event.key)
        self.editing = record["id"]
        helper = self.store.get("helper", record["helper"]) if record.get("helper") else None
        self.query_one("#aid-on", Input).value = format_date(record["on"])
        self.query_one("#aid-helper", Input).value = visible(helper["name"]) if helper else ""
        self.query_one("#aid-form", Input).value = visible(record.get("form") or "")
        self.query_one("#aid-value", Input).value = format_money(record["value"])
        excluded = self.query_one("#aid-excluded", Select)
        if record.get("excluded"):
            excluded.value = record["excluded"]
        else:
            excluded.clear()
        self._warned = False
        self._show_preview()
        self.set_focus(self.query_one("#aid-value", Input))

    # ----------------------------------------------------------------- other actions

    def action_edit(self) -> None:
        self.app.push_screen(AddressForm(self.store, self.address))

    def action_attach(self) -> None:
        self.app.push_screen(AttachmentForm(self.store, self.address))

    def action_stop_attachment(self) -> None:
        """«Dừng gắn»: the attachment chosen in the helpers' table ends, on a date and for a
        reason asked. From elsewhere on the screen, the only attachment still going is meant;
        of several, the clerk is asked to choose one."""
        table = self.query_one("#attachments", RecordTable)
        key = table.current_key
        if self.focused is not table:
            going = [a for a in self._links if not a.get("until")]
            key = going[0]["id"] if len(going) == 1 else None
            if len(going) > 1:
                self.notify(
                    f"Địa chỉ có {len(going)} người trợ giúp đang gắn: chọn dòng cần dừng trong "
                    "bảng người trợ giúp (↑ ↓) rồi nhấn Ctrl+K."
                )
                table.focus()
                return
        attachment = self.store.get("attachment", key) if key else None
        if attachment is None:
            self.notify("Chọn một dòng trong bảng người trợ giúp rồi nhấn Ctrl+K.")
            table.focus()
            return
        helper = self.store.get("helper", attachment["helper"]) or {}
        if attachment.get("until"):
            self.notify(
                f"Việc gắn {quoted(helper.get('name', ''))} đã dừng ngày "
                f"{format_date(attachment['until'])}; Enter để sửa.",
            )
            return
        reasons = sorted(
            {a["stop_reason"] for a in self.store.records("attachment") if a.get("stop_reason")}
        )
        today = self.store.today()

        def save(answer: tuple[str, str]) -> None:
            record = {**data_of("attachment", attachment), "until": answer[0],
                      "stop_reason": answer[1]}  # fmt: skip
            if attempted(self, lambda: self.store.save("attachment", record)):
                self.notify(
                    f"Đã dừng gắn {quoted(helper.get('name', ''))} từ ngày "
                    f"{format_date(answer[0])}: {answer[1]}."
                )
                self.reload()

        def stopped(answer: tuple[str, str] | None) -> None:
            if not answer:
                return
            later = sorted(
                a["on"] for a in self._aid
                if a.get("helper") == attachment["helper"] and a["on"] > answer[0]
            )  # fmt: skip
            if not later:
                save(answer)
                return
            self.app.push_screen(
                ConfirmScreen(
                    f"{quoted(helper.get('name', ''))} có {len(later)} lần trợ giúp địa chỉ này "
                    f"sau ngày dừng {format_date(answer[0])} (lần cuối ngày "
                    f"{format_date(later[-1])}). Vẫn dừng gắn từ ngày {format_date(answer[0])}?",
                    yes="Vẫn dừng",
                    no="Sửa ngày",
                ),
                lambda yes: save(answer) if yes else None,
            )

        self.app.push_screen(
            StopScreen(
                f"Dừng gắn {quoted(helper.get('name', ''))} với {quoted(self.address['name'])}:"
                " ngày dừng và lý do dừng",
                today,
                reasons,
                earliest=date.fromisoformat(attachment["from"]),
                latest=today,
                earliest_is="ngày bắt đầu gắn",
            ),
            stopped,
        )

    @on(RecordTable.Selected, "#attachments")
    def _edit_attachment(self, event: RecordTable.Selected) -> None:
        self.app.push_screen(
            AttachmentForm(self.store, self.address, self.store.get("attachment", event.key))
        )

    def action_delete_row(self) -> None:
        focused = self.focused
        if not isinstance(focused, RecordTable) or focused.current_key is None:
            self.notify(
                "Chọn một dòng trong bảng trợ giúp hoặc bảng người trợ giúp rồi nhấn Delete."
            )
            return
        kind = "aid" if focused.id == "aid" else "attachment"
        key = focused.current_key
        record = self.store.get(kind, key)
        assert record is not None
        what = (
            f"lần trợ giúp {format_money(record['value'])} ngày {format_date(record['on'])}"
            if kind == "aid"
            else "việc gắn người trợ giúp này"
        )

        def answered(yes: bool | None) -> None:
            if yes and attempted(self, lambda: self.store.delete(kind, key)):
                self.notify(f"Đã xoá {what}.")
                self.reload()

        self.app.push_screen(ConfirmScreen(f"Xoá {what}?", yes="Xoá"), answered)

    def action_history(self, of: str = "") -> None:
        """«Lịch sử»: the versions of the row chosen in the table that has the focus (a helper
        attached, an aid), of the address itself otherwise or with Shift+L."""
        focused = self.focused
        kind, key = "address", self.address_id
        if not of and isinstance(focused, RecordTable) and focused.current_key is not None:
            kind = "aid" if focused.id == "aid" else "attachment"
            key = focused.current_key
        self.app.push_screen(HistoryScreen(self.store, kind, key))

    def action_back(self) -> None:
        if not self.editing and self._entry_is_empty():
            self.dismiss(None)
            return

        def answered(drop: bool | None) -> None:
            if drop:
                self.clear_entry()
                self.query_one("#aid", RecordTable).focus()

        self.app.push_screen(
            ConfirmScreen("Bỏ lần trợ giúp đang nhập, không lưu?", yes="Bỏ", no="Ở lại"), answered
        )


class FormQuestion(ConfirmScreen):
    """Y takes the form of the list, N keeps the one typed; Escape goes back to the box."""

    BINDINGS = [
        Binding("n", "answer(False)", "Giữ như đã gõ", id="form_question.keep"),
        Binding("escape", "dismiss(None)", "Quay lại sửa", id="form_question.back"),
    ]


class UnknownHelper(FieldError):
    """The helper typed in the entry line is not registered (it can be added from there)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _markup(text: str) -> str:
    """Text from outside shown through markup: its brackets escaped, its controls visible."""
    return escape(visible(text, lines=True))
