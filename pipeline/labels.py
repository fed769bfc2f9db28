"""Vietnamese words for the codes the tables hold, so that no page or report shows a user an English code.

The tables keep their codes (other tools read them; SPEC.md lists them). Whatever a person reads (the review
app, `summary`, audit reasons) shows `vi(code, field)`: the Vietnamese word, with the code left for a tooltip.
"""
from __future__ import annotations

LEVEL_VI = {"central": "trung ương", "ministry": "bộ", "province": "tỉnh", "department": "sở, ngành",
            "district": "huyện", "commune": "xã", "school": "trường", "other": "khác", "unknown": "chưa rõ"}
STATUS_VI = {"met": "đạt", "weaker": "yếu hơn", "missing": "thiếu", "not_applicable": "không áp dụng",
             "out_of_scope": "ngoài phạm vi"}
SEVERITY_VI = {"high": "cao", "medium": "vừa", "low": "thấp"}
KIND_VI = {"plan": "kế hoạch", "legal": "văn bản quy phạm", "letter": "công văn, thông báo",
           "article": "bài viết, hỏi đáp"}
DEADLINE_KIND_VI = {"annual": "hằng năm", "by_date": "trước ngày", "date": "ngày", "month": "tháng",
                    "quarter": "quý", "year": "năm", "school_year": "năm học",
                    "period": "giai đoạn", "continuous": "thường xuyên", "other": "khác"}
ROLE_VI = {"basis": "căn cứ", "body": "trong nội dung"}
REVIEW_VI = {"correct": "đúng", "wrong": "sai", "corrected": "đã sửa", "added": "thêm", "unreviewed": "chưa duyệt",
             "partial": "đang duyệt", "done": "đã duyệt xong", "none": "chưa duyệt"}
SECTION_VI = {"appendix": "phụ lục", "legal_basis": "căn cứ", "purpose": "mục đích, yêu cầu",
              "targets": "chỉ tiêu", "objectives": "mục tiêu", "budget": "kinh phí",
              "implementation": "tổ chức thực hiện", "tasks": "nhiệm vụ, giải pháp", "other": "khác"}
FORMAT_VI = {"pdf": "PDF", "docx": "Word", "doc": "Word", "text": "văn bản", "txt": "văn bản", "html": "trang web",
             "image": "ảnh chụp"}

YES_NO_VI = {"True": "có", "False": "không", "true": "có", "false": "không", "1": "có", "0": "không"}
EDIT_WHY_VI = {"speck": "vết bẩn", "tone": "dấu thanh", "abbreviation": "chữ viết tắt"}

VALUES = {"yes_no": YES_NO_VI, "kind": KIND_VI, "doc_kind": KIND_VI, "unit_level": LEVEL_VI, "level": LEVEL_VI, "status": STATUS_VI,
          "severity": SEVERITY_VI, "deadline_kind": DEADLINE_KIND_VI, "role": ROLE_VI, "review": REVIEW_VI,
          "section_kind": SECTION_VI, "format": FORMAT_VI}

# a column header: Vietnamese first, the column's name in the tables after it (what a CSV user will look for)
FIELD_VI = {"value": "giá trị", "value_max": "đến", "unit": "đơn vị tính", "comparator": "so sánh",
            "aspirational": "phấn đấu", "population": "đối tượng", "indicator": "chỉ số", "period": "kỳ",
            "sentence": "câu", "text": "nguyên văn", "kind": "loại", "start": "từ", "end": "đến",
            "recurrence": "lặp lại", "key": "số hiệu", "doc_type": "loại văn bản", "issued_date": "ngày ban hành",
            "issuer": "cơ quan ban hành", "role": "vai trò", "task": "nhiệm vụ", "lead": "chủ trì",
            "partners": "phối hợp", "output": "sản phẩm", "timeline": "thời gian"}


def vi(value, field: str) -> str:
    """The Vietnamese word for a code of `field` ("province" -> "tỉnh"); a value that is no code is itself."""
    if value is None or value == "":
        return ""
    text = str(value)
    if field == "recurrence" and text.startswith("--") and len(text) == 7:      # ISO "--MM-DD": every year
        return f"{text[5:]}/{text[2:4]} hằng năm"
    if field == "recurrence" and text.startswith("---"):                        # "---DD": every month
        return f"ngày {text[3:]} hằng tháng"
    if field == "edit_why":                       # "tone: forms the word 'năm học'" -> "dấu thanh"
        return EDIT_WHY_VI.get(text.split(":")[0].split()[0], "")
    return VALUES.get(field, {}).get(text, text)


def form_labels() -> dict[str, str]:
    """The labels of the review form's fields ("Giá trị / value"), the same words as the columns'."""
    return {k: f"{v[:1].upper()}{v[1:]} / {k}" for k, v in FIELD_VI.items()}


def header(field: str) -> str:
    """A column header: "giá trị / value"."""
    return f"{FIELD_VI[field]} / {field}" if field in FIELD_VI else field
