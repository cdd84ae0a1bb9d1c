"""The payments service: charges and refunds at the payment provider, each effect exactly once."""
