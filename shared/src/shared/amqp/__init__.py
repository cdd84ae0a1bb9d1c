"""RabbitMQ: the topology, connection parameters, the confirming publisher and the consumer runner."""
