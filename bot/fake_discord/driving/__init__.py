"""What the test driver does, one part per module: build the world, invoke commands, use components."""
