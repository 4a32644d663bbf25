public enum BoxImagesPlaceholder {}
