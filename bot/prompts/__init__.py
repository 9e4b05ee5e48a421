"""Daily prompts: choosing, checking, rendering and posting them (no Discord commands here)."""
