"""The report body's words: sections, headings, outlines, titles and sentence templates.

Plain dicts keyed by language (Vietnamese and English), like ``labels``. Sentence templates
take ints (printed as numbers of the language, ``{n:one|many}`` picks the English noun) and
already formatted strings (money, dates, percentages).
"""

from __future__ import annotations

# Section keys in report order: (key, heading level). Level 1 headings are Roman-numbered
# parts; level 2 the numbered areas of work; 0 a paragraph without heading.
SECTIONS: list[tuple[str, int]] = [
    ("intro", 0),
    ("situation", 1),
    ("results", 1),
    ("organisation", 2),
    ("volunteers", 2),
    ("resources", 2),
    ("aid", 2),
    ("addresses", 2),
    ("blood", 2),
    ("health", 2),
    ("emergency", 2),
    ("communication", 2),
    ("emulation", 2),
    ("assessment", 1),
    ("tasks", 1),
    ("proposals", 1),
    ("closing", 0),
]
# Sections the register cannot write: the officer fills them (an outline helps) before issuing.
OFFICER_SECTIONS = (
    "situation",
    "communication",
    "emulation",
    "assessment",
    "tasks",
    "proposals",
)

HEADINGS: dict[str, dict[str, str]] = {
    "vi": {
        "intro": "",
        "situation": "I. ĐẶC ĐIỂM TÌNH HÌNH",
        "results": "II. KẾT QUẢ THỰC HIỆN",
        "organisation": "1. Công tác tổ chức, xây dựng Hội",
        "volunteers": "2. Tình nguyện viên, thanh thiếu niên Chữ thập đỏ",
        "resources": "3. Công tác vận động nguồn lực",
        "aid": "4. Hoạt động trợ giúp nhân đạo",
        "addresses": "5. Cuộc vận động “Mỗi tổ chức, cá nhân gắn với một địa chỉ nhân đạo”",
        "blood": "6. Vận động hiến máu tình nguyện",
        "health": "7. Chăm sóc sức khỏe, sơ cấp cứu",
        "emergency": "8. Phòng ngừa, ứng phó thảm họa và cứu trợ khẩn cấp",
        "communication": "9. Công tác truyền thông",
        "emulation": "10. Công tác thi đua, khen thưởng",
        "assessment": "III. ĐÁNH GIÁ CHUNG",
        "tasks": "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ {next_period}",
        "proposals": "V. ĐỀ XUẤT, KIẾN NGHỊ",
        "closing": "",
    },
    "en": {
        "intro": "",
        "situation": "I. SITUATION",
        "results": "II. RESULTS",
        "organisation": "1. Organisation and membership",
        "volunteers": "2. Volunteers and Red Cross youth",
        "resources": "3. Raising resources",
        "aid": "4. Humanitarian aid",
        "addresses": "5. The campaign “Each organisation and person takes on a humanitarian "
        "address”",
        "blood": "6. Voluntary blood donation",
        "health": "7. Health care and first aid",
        "emergency": "8. Disaster preparedness, response and emergency relief",
        "communication": "9. Communication",
        "emulation": "10. Emulation and awards",
        "assessment": "III. OVERALL ASSESSMENT",
        "tasks": "IV. DIRECTION AND TASKS FOR {next_period}",
        "proposals": "V. PROPOSALS",
        "closing": "",
    },
}

# What the officer is asked to write in each of their sections (shown in the editor and in
# the narrative file template; never printed).
OUTLINES: dict[str, dict[str, str]] = {
    "vi": {
        "situation": "1. Thuận lợi: …\n2. Khó khăn: …",
        "communication": "Số buổi tuyên truyền, hình thức (loa truyền thanh, mạng xã hội, "
        "hội nghị), số lượt người được tuyên truyền: …",
        "emulation": "Các phong trào thi đua đã phát động; tập thể, cá nhân được khen "
        "thưởng (hình thức, cấp khen): …",
        "assessment": "1. Ưu điểm: …\n2. Hạn chế: …\n3. Nguyên nhân của hạn chế: …",
        "tasks": "1. …\n2. …\n3. …",
        "proposals": "Đề xuất với {parent}: …",
    },
    "en": {
        "situation": "1. Advantages: …\n2. Difficulties: …",
        "communication": "Sessions held, channels (loudspeakers, social media, meetings), "
        "people reached: …",
        "emulation": "Emulation movements launched; groups and people awarded (award, level): …",
        "assessment": "1. Strengths: …\n2. Limits: …\n3. Causes of the limits: …",
        "tasks": "1. …\n2. …\n3. …",
        "proposals": "Proposals to {parent}: …",
    },
}

# The subject under "BÁO CÁO" per period kind (Decree 30: title, then the subject in bold).
SUBJECTS: dict[str, dict[str, str]] = {
    "vi": {
        "quarter": "Kết quả công tác Hội và phong trào Chữ thập đỏ {period}, phương hướng "
        "nhiệm vụ {next_period}",
        "half_first": "Sơ kết công tác Hội và phong trào Chữ thập đỏ {period}, phương hướng "
        "nhiệm vụ {next_period}",
        "half_last": "Kết quả công tác Hội và phong trào Chữ thập đỏ {period}, phương hướng "
        "nhiệm vụ {next_period}",
        "nine_months": "Kết quả công tác Hội và phong trào Chữ thập đỏ {period}, phương "
        "hướng nhiệm vụ {next_period}",
        "year": "Tổng kết công tác Hội và phong trào Chữ thập đỏ {period}, phương hướng "
        "nhiệm vụ {next_period}",
        "custom": "Kết quả công tác Hội và phong trào Chữ thập đỏ {period}",
    },
    "en": {
        "quarter": "Results of the Red Cross work in {period} and tasks for {next_period}",
        "half_first": "Mid-year review of the Red Cross work in {period} and tasks for "
        "{next_period}",
        "half_last": "Results of the Red Cross work in {period} and tasks for {next_period}",
        "nine_months": "Results of the Red Cross work in {period} and tasks for {next_period}",
        "year": "Annual review of the Red Cross work in {period} and tasks for {next_period}",
        "custom": "Results of the Red Cross work in {period}",
    },
}


def subject_kind(kind: str, first_half: bool) -> str:
    if kind == "half":
        return "half_first" if first_half else "half_last"
    return kind if kind in ("quarter", "nine_months", "year") else "custom"


SENTENCES: dict[str, dict[str, str]] = {
    "vi": {
        "intro_parent": "Thực hiện chương trình công tác năm {year} của {parent}, {chapter} "
        "báo cáo {what} như sau:",
        "intro": "Thực hiện chương trình công tác năm {year}, {chapter} báo cáo {what} như sau:",
        "what": "kết quả công tác Hội và phong trào Chữ thập đỏ {period}",
        "as_of": " (số liệu tính đến ngày {day})",
        "as_of_estimate": " (số liệu tính đến ngày {day}, ước thực hiện cả năm)",
        "versus_same": "so với cùng kỳ năm {year}",
        "versus_year": "so với năm {year}",
        "up": "tăng {value} {unit} {versus}",
        "down": "giảm {value} {unit} {versus}",
        "same": "bằng {versus}",
        "of_target": ", đạt {percent} chỉ tiêu năm ({done}/{target})",
        "estimate": "; ước thực hiện cả năm {value}, đạt {percent} chỉ tiêu",
        # organisation and members
        "branches": "Tính đến ngày {day}, toàn Hội có {branches} chi hội.",
        "ratings": "Kết quả đánh giá, xếp loại năm {year}: {ratings}.",
        "rating_first": "{count}/{total} chi hội đạt {rating}",
        "rating_other": "{count} chi hội {rating}",
        "members": "{in_period}, kết nạp mới {new} hội viên{target}; {left} hội viên ra "
        "khỏi Hội, bị xóa tên hoặc từ trần{moves}.",
        "moves": "; chuyển đến {moved_in}, chuyển đi {moved_out} hội viên",
        "moved_in": "; chuyển đến {count} hội viên",
        "moved_out": "; chuyển sinh hoạt đi nơi khác {count} hội viên",
        "net_up": "Số hội viên tăng thực {net} người",
        "net_down": "Số hội viên giảm thực {net} người",
        "net_same": "Số hội viên không thay đổi",
        "members_total": "{net}, đến ngày {day} toàn Hội có {total} hội viên, {change}.",
        "dues": "Thu hội phí được {dues}{ytd}.",
        "dues_ytd": ", lũy kế từ đầu năm {value}",
        # volunteers
        "volunteers": "Tính đến ngày {day}, toàn Hội có {total} tình nguyện viên ({change}), "
        "trong đó {core} tình nguyện viên nòng cốt; {in_period_lower} có thêm {new} tình "
        "nguyện viên mới. Có {youth} thanh, thiếu niên tham gia hoạt động Chữ thập đỏ.",
        # resources
        "resources": "{in_period}, các cấp Hội vận động được tiền, hàng trị giá {total} "
        "({change}), trong đó nội lực {own}{sources}{target}.",
        "sources": ", nhà tài trợ {sponsor}, cấp trên hỗ trợ {higher}",
        "resources_none": "{in_period}, chưa ghi nhận nguồn lực vận động được.",
        "resources_ytd": "Lũy kế từ đầu năm, tổng trị giá vận động được {total}{target}.",
        # aid
        "aid": "{in_period}, Hội đã trợ giúp {people} lượt người ({change}) với tổng trị "
        "giá {total}, gồm tiền mặt {cash} và hiện vật {goods}.",
        "aid_none": "{in_period}, chưa có hoạt động trợ giúp được ghi nhận.",
        "aid_main": "Nổi bật là chương trình {name}: {what}, trị giá {value}.",
        "aid_table": "Kết quả theo từng chương trình vận động:",
        "aid_given": "trao {units}",
        "aid_reached": "trợ giúp {people} lượt người",
        # addresses
        "addresses": "Tính đến ngày {day}, Hội đang theo dõi {on_file} địa chỉ nhân đạo "
        "({change}), trong đó {with_sponsor} địa chỉ đã có nhà tài trợ với {sponsors} nhà "
        "tài trợ đang thực hiện cam kết.",
        "addresses_moves": "{in_period}, tiếp nhận {new} địa chỉ mới và đưa {closed} địa chỉ "
        "ra khỏi danh sách (thoát khó khăn hoặc dừng theo dõi).",
        "addresses_helped": "{helped} địa chỉ được trợ giúp trong kỳ.",
        "addresses_helped_off": "{helped} địa chỉ được trợ giúp trong kỳ, trong đó {off} "
        "địa chỉ không còn trong danh sách đang theo dõi.",
        "monthly": "Trợ cấp thường xuyên {monthly} địa chỉ, {amount}/tháng.",
        "monthly_none": "Chưa có địa chỉ được trợ cấp thường xuyên hằng tháng.",
        # blood
        "blood": "{in_period}, phối hợp tổ chức {drives} đợt hiến máu tình nguyện, tiếp nhận "
        "{units} đơn vị máu từ {donors} lượt người hiến ({change}).",
        "blood_none": "{in_period}, chưa tổ chức đợt hiến máu tình nguyện nào.",
        "blood_target": "{since}tiếp nhận {done}/{target} đơn vị, đạt {percent} kế hoạch năm"
        "{estimate}.",
        "since_start": "Lũy kế từ đầu năm ",
        "whole_year": "Cả năm ",
        # health and first aid
        "health": "{in_period}, tổ chức khám bệnh, cấp thuốc miễn phí cho {people} lượt "
        "người, trị giá {value} ({change}).",
        "health_none": "{in_period}, chưa tổ chức khám bệnh, cấp thuốc miễn phí.",
        "firstaid": "Mở {classes} lớp tập huấn sơ cấp cứu cho {trainees} học viên.",
        "firstaid_none": "Chưa mở lớp tập huấn sơ cấp cứu.",
        "firstaid_cases": "Các đội sơ cấp cứu đã sơ cứu {cases} trường hợp.",
        "blood_repeat": "Trong số người hiến máu có {repeat} người hiến máu nhắc lại và "
        "{first} người hiến lần đầu.",
        "blood_share": "Số người hiến máu bằng {share} dân số của xã.",
        # emergency
        "emergency": "{in_period}, cứu trợ khẩn cấp {households} lượt hộ gặp thiên tai, "
        "hỏa hoạn, tổng trị giá {value}.",
        "emergency_none": "{in_period}, không phát sinh cứu trợ khẩn cấp.",
        "drills": "Tổ chức {sessions} buổi diễn tập, tập huấn phòng ngừa, ứng phó thảm họa "
        "với {participants} lượt người tham gia.",
        "closing": "Trên đây là báo cáo {what} của {chapter}./.",
    },
    "en": {
        "intro_parent": "Following the {year} work programme of {parent}, {chapter} reports "
        "{what} as follows:",
        "intro": "Following its {year} work programme, {chapter} reports {what} as follows:",
        "what": "the results of the Red Cross work in {period}",
        "as_of": " (figures up to {day})",
        "as_of_estimate": " (figures up to {day}, with estimates for the whole year)",
        "versus_same": "on the same period of {year}",
        "versus_year": "on {year}",
        "up": "up {value} {unit} {versus}",
        "down": "down {value} {unit} {versus}",
        "same": "unchanged {versus}",
        "of_target": ", {percent} of the yearly target ({done}/{target})",
        "estimate": "; estimated for the whole year: {value}, {percent} of the target",
        "branches": "On {day} the chapter had {branches} {branches:branch|branches}.",
        "ratings": "Ratings for {year}: {ratings}.",
        "rating_first": "{count}/{total} branches rated {rating}",
        "rating_other": "{count} rated {rating}",
        "members": "{in_period}, {new} new {new:member was|members were} admitted{target}; "
        "{left} {left:member|members} left, {left:was|were} removed or died{moves}.",
        "moves": "; {moved_in} moved in and {moved_out} moved out",
        "moved_in": "; {count} moved in",
        "moved_out": "; {count} moved away",
        "net_up": "Membership grew by {net}",
        "net_down": "Membership fell by {net}",
        "net_same": "Membership did not change",
        "members_total": "{net}; on {day} the chapter had {total} "
        "{total:member|members}, {change}.",
        "dues": "Dues collected: {dues}{ytd}.",
        "dues_ytd": "; since the start of the year {value}",
        "volunteers": "On {day} the chapter had {total} {total:volunteer|volunteers} "
        "({change}), of whom {core} core {core:volunteer|volunteers}; {in_period_lower} {new} "
        "new {new:volunteer|volunteers} joined. {youth} Red Cross youth and teenagers take "
        "part.",
        "resources": "{in_period}, the chapter raised cash and goods worth {total} "
        "({change}), of which {own} from its own resources{sources}{target}.",
        "sources": ", {sponsor} from sponsors and {higher} from the level above",
        "resources_none": "{in_period}, no resources raised were recorded.",
        "resources_ytd": "Since the start of the year, resources worth {total} have been "
        "raised{target}.",
        "aid": "{in_period}, aid reached {people} {people:person|people} ({change}), worth "
        "{total}: {cash} in cash and {goods} in goods.",
        "aid_none": "{in_period}, no aid was recorded.",
        "aid_main": "The largest campaign was {name}: {what}, worth {value}.",
        "aid_table": "Results by campaign:",
        "aid_given": "{units} given",
        "aid_reached": "{people} {people:person|people} reached",
        "addresses": "On {day} the chapter followed {on_file} humanitarian "
        "{on_file:address|addresses} ({change}), {with_sponsor} of them with a sponsor; "
        "{sponsors} {sponsors:sponsor is|sponsors are} carrying out commitments.",
        "addresses_moves": "{in_period}, {new} new {new:address was|addresses were} taken on "
        "and {closed} {closed:was|were} taken off the list (out of hardship or stopped).",
        "addresses_helped": "{helped} {helped:address was|addresses were} helped in the period.",
        "addresses_helped_off": "{helped} {helped:address was|addresses were} helped in the "
        "period, {off} of them no longer on the list followed.",
        "monthly": "Regular support: {monthly} {monthly:address|addresses}, {amount} a month.",
        "monthly_none": "No address receives regular monthly support.",
        "blood": "{in_period}, {drives} blood donation {drives:drive was|drives were} held, "
        "collecting {units} {units:unit|units} from {donors} {donors:donor|donors} "
        "({change}).",
        "blood_none": "{in_period}, no blood donation drive was held.",
        "blood_target": "{since}{done}/{target} units collected, {percent} of the yearly "
        "plan{estimate}.",
        "since_start": "Since the start of the year: ",
        "whole_year": "For the year: ",
        "health": "{in_period}, free check-ups and medicine reached {people} "
        "{people:person|people}, worth {value} ({change}).",
        "health_none": "{in_period}, no free check-ups or medicine were given.",
        "firstaid": "{classes} first-aid {classes:class|classes} trained {trainees} "
        "{trainees:person|people}.",
        "firstaid_none": "No first-aid class was held.",
        "firstaid_cases": "First-aid teams handled {cases} {cases:case|cases}.",
        "blood_repeat": "Of the donors, {repeat} {repeat:was a repeat donor|were repeat donors} "
        "and {first} gave for the first time.",
        "blood_share": "Blood donors were {share} of the commune's population.",
        "emergency": "{in_period}, emergency relief reached {households} "
        "{households:household|households} hit by disasters or fires, worth {value}.",
        "emergency_none": "{in_period}, there was no emergency relief.",
        "drills": "{sessions} disaster {sessions:drill or training was|drills and trainings "
        "were} held with {participants} {participants:participant|participants}.",
        "closing": "This is the report of {chapter} on {what}.",
    },
}

# Units of change phrases ("tăng 20 hội viên so với ...").
CHANGE_UNITS: dict[str, dict[str, tuple[str, str]]] = {
    "vi": {
        "members": ("hội viên", "hội viên"),
        "volunteers": ("tình nguyện viên", "tình nguyện viên"),
        "addresses": ("địa chỉ", "địa chỉ"),
        "people": ("lượt người", "lượt người"),
        "units": ("đơn vị", "đơn vị"),
        "money": ("", ""),
    },
    "en": {
        "members": ("member", "members"),
        "volunteers": ("volunteer", "volunteers"),
        "addresses": ("address", "addresses"),
        "people": ("person", "people"),
        "units": ("unit", "units"),
        "money": ("", ""),
    },
}

# Table in the aid section (the campaigns, instead of one repeated line per campaign).
AID_TABLE: dict[str, dict[str, str]] = {
    "vi": {
        "campaign": "Chương trình",
        "given": "Số lượng đã trao",
        "people": "Lượt người",
        "value": "Trị giá (đồng)",
    },
    "en": {
        "campaign": "Campaign",
        "given": "Given",
        "people": "People reached",
        "value": "Value (VND)",
    },
}
