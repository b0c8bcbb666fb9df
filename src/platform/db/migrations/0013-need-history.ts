export const name = '0013-need-history'

/** Placeholder: filled in by the feature that owns it. */
export const statements: readonly string[] = []
