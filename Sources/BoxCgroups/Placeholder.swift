public enum BoxCgroupsPlaceholder {}
