"""The sandbox's decline rules and the settings that configure them."""

import pytest

from payments.providers.base import Declined, TransientProviderError
from payments.providers.sandbox import SandboxRules, card_digits
from payments.settings import PaymentsSettings

SECRET = "whsec_" + "A" * 44


def settings(**values) -> PaymentsSettings:
    return PaymentsSettings(_env_file=None, payments_webhook_secret=SECRET, **values)


def test_an_ordinary_charge_is_approved():
    assert SandboxRules().verdict(15000, None) is None
    assert SandboxRules().verdict(15000, "4111111111111111") is None


@pytest.mark.parametrize("card", ["4000000000000002", "4000 0000 0000 0002", "4000-0000-0000-0002"])
def test_the_magic_card_is_declined_however_it_is_typed(card):
    assert SandboxRules().verdict(15000, card) == Declined(
        "card_declined", "The card was declined (sandbox decline test card)."
    )


@pytest.mark.parametrize(("amount", "declined"), [(15013, True), (13, True), (113, True), (130, False), (1300, False)])
def test_amounts_ending_in_13_are_declined(amount, declined):
    verdict = SandboxRules().verdict(amount, None)
    assert (verdict is not None and verdict.code == "insufficient_funds") is declined


def test_the_error_card_fails_transiently_every_time():
    for _ in range(3):
        with pytest.raises(TransientProviderError) as caught:
            SandboxRules().verdict(15000, "4000000000000119")
        assert caught.value.retryable and caught.value.code == "processing_error"


def test_rules_come_from_settings_and_can_be_switched_off():
    configured = settings(
        sandbox_decline_card_numbers="4242 4242 4242 4242, 5555555555554444",
        sandbox_decline_amount_suffix="off",
        sandbox_error_card_numbers="none",
    )
    rules = SandboxRules.of(
        configured.sandbox_decline_card_numbers,
        configured.sandbox_decline_amount_suffix,
        configured.sandbox_error_card_numbers,
    )
    assert rules.decline_card_numbers == {"4242424242424242", "5555555555554444"}
    assert rules.verdict(15013, None) is None
    assert rules.verdict(15000, "4000000000000119") is None
    assert rules.verdict(15000, "5555 5555 5555 4444").code == "card_declined"


def test_default_settings_carry_the_documented_rules():
    defaults = settings()
    assert defaults.sandbox_decline_card_numbers == ["4000000000000002"]
    assert defaults.sandbox_decline_amount_suffix == "13"
    assert defaults.sandbox_error_card_numbers == ["4000000000000119"]


def test_card_digits():
    assert card_digits(" 4000-0000 0000 0002 ") == "4000000000000002"
    assert card_digits(None) == ""


def test_auto_provider_is_toss_only_with_a_secret_key():
    assert settings().provider_name == "sandbox"
    assert settings(toss_secret_key="test_sk_x").provider_name == "toss"
    assert settings(payment_provider="sandbox", toss_secret_key="test_sk_x").provider_name == "sandbox"


def test_settings_refuse_what_cannot_work():
    with pytest.raises(ValueError, match="PAYMENTS_WEBHOOK_SECRET"):
        PaymentsSettings(_env_file=None)
    with pytest.raises(ValueError, match="TOSS_SECRET_KEY"):
        settings(payment_provider="toss")
    with pytest.raises(ValueError, match="PAYMENT_PROVIDER"):
        settings(payment_provider="stripe")


def test_a_plain_postgres_url_is_driven_by_psycopg3():
    assert settings().payments_database_url == "postgresql+psycopg://postgres@127.0.0.1:5432/payments"
