public enum PASIModelPlaceholder {}
