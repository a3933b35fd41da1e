"""Word's Symbol-font bullets come out of the PDF conversion as private-use code points; keep them readable."""

from hub.documents.text import plain_bullets


def test_symbol_font_bullets_become_ordinary_bullets():
    extracted = "\uf0b7 报价流程\n\uf0a7 审批\n\uf076 交付\n\uf0d8 回款\n\uf0fc 已完成"
    cleaned = plain_bullets(extracted)
    assert cleaned == "• 报价流程\n• 审批\n• 交付\n• 回款\n• 已完成"
    assert not any(0xE000 <= ord(ch) <= 0xF8FF for ch in cleaned)


def test_ordinary_text_is_left_alone():
    text = "Price list • 价格表 → 2026 ✓ \ue000"
    assert plain_bullets(text) == text
