"""The fuzz corpus of the reliability suite (hostile inputs mixed with good documents)."""
