"""The review queue: which stored turns a person should read, and what they may see of them."""
