"""The page's words: telephone numbers one tap from a call, and anything else in a sentence escaped."""

from __future__ import annotations

from feedback_web.pages import callable_numbers


def test_each_telephone_number_in_a_contact_is_a_link_to_call_it() -> None:
    assert callable_numbers("If you or a child is in danger now, call 999.") == (
        'If you or a child is in danger now, call <a href="tel:999">999</a>.'
    )
    assert callable_numbers("call 020 7946 0000 (Monday to Friday, 9am to 5pm) or 020 7946 0999") == (
        'call <a href="tel:02079460000">020 7946 0000</a> (Monday to Friday, 9am to 5pm) or '
        '<a href="tel:02079460999">020 7946 0999</a>'
    )


def test_a_contact_sentence_is_escaped_around_its_numbers() -> None:
    assert callable_numbers('<script>x</script> "0800 1111" & 2026') == (
        '&lt;script&gt;x&lt;/script&gt; &#34;<a href="tel:08001111">0800 1111</a>&#34; &amp; 2026'
    )
