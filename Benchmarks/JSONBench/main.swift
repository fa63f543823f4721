print("json-bench: not yet")
