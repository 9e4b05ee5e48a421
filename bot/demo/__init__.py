"""`hearth demo`: the real bot against the fake Discord on 127.0.0.1, playing a short scripted tour."""
