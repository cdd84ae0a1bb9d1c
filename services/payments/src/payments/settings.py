"""The payments service's settings, read once from the environment."""

from typing import Annotated

from pydantic import Field, field_validator, model_validator
from pydantic_settings import NoDecode

from shared.config import CommonSettings, split_list


def sqlalchemy_url(url: str) -> str:
    """`postgresql://...` as SQLAlchemy's psycopg 3 URL (its bare default would be psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _is_off(value) -> bool:
    """An empty variable means "the default" here, so a rule is switched off with `off`."""
    return isinstance(value, str) and value.strip().lower() in ("off", "none")


class DatabaseSettings(CommonSettings):
    """Just the service's own database: enough to migrate it without the service's secrets."""

    payments_database_url: str = "postgresql://postgres@127.0.0.1:5432/payments"

    _to_psycopg = field_validator("payments_database_url")(sqlalchemy_url)


class PaymentsSettings(DatabaseSettings):
    """Where to consume, which provider to call, where to report."""

    gateway_url: str = "http://127.0.0.1:8000"
    payments_webhook_secret: str = ""
    payments_prefetch: int = 32
    payments_handler_threads: int = Field(16, description="Handlers mostly wait on the provider and the gateway")

    payment_provider: str = "auto"
    toss_base_url: str = "https://api.tosspayments.com"
    toss_secret_key: str = ""
    toss_timeout_seconds: float = 10.0

    sandbox_decline_card_numbers: Annotated[list[str], NoDecode] = ["4000000000000002"]
    sandbox_decline_amount_suffix: str = "13"
    sandbox_error_card_numbers: Annotated[list[str], NoDecode] = ["4000000000000119"]

    @field_validator("sandbox_decline_card_numbers", "sandbox_error_card_numbers", mode="before")
    @classmethod
    def _split_cards(cls, value):
        return [] if _is_off(value) else split_list(value)

    @field_validator("sandbox_decline_amount_suffix", mode="before")
    @classmethod
    def _suffix(cls, value):
        return "" if _is_off(value) else str(value).strip()

    @model_validator(mode="after")
    def _check(self):
        if not self.payments_webhook_secret:
            raise ValueError("PAYMENTS_WEBHOOK_SECRET is required (make run writes one into .env)")
        if self.payment_provider not in ("auto", "sandbox", "toss"):
            raise ValueError("PAYMENT_PROVIDER must be auto, sandbox or toss")
        if self.payment_provider == "toss" and not self.toss_secret_key:
            raise ValueError("PAYMENT_PROVIDER=toss needs TOSS_SECRET_KEY")
        return self

    @property
    def provider_name(self) -> str:
        """`auto` means toss when a secret key is set, the offline sandbox otherwise."""
        if self.payment_provider == "auto":
            return "toss" if self.toss_secret_key else "sandbox"
        return self.payment_provider
