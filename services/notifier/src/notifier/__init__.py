"""The notifier: pushes domain events to connected clients, e-mails them, and delivers customer webhooks."""
