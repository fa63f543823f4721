/// A fake Kubernetes API server on 127.0.0.1 for tests, the demo and the benchmark.
public enum FakeAPIServerNamespace {}
