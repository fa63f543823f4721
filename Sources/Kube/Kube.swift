/// Kubernetes access for kubelua: configuration, client and pod informer.
public enum Kube {}
