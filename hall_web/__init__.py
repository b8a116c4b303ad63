"""`queue-hall web`: residents follow their ticket on their phones (see hall_web.app)."""
