export const name = '0014-treatment-requirements'

/** Placeholder: filled in by the feature that owns it. */
export const statements: readonly string[] = []
