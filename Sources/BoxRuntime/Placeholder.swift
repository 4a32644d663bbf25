public enum BoxRuntimePlaceholder {}
