export const name = '0012-screening'

/** Placeholder: filled in by the feature that owns it. */
export const statements: readonly string[] = []
