import { text, type FormBody, type FormResult } from '../../platform/forms/forms.ts'
import { permissionReferenceProblem } from './instruments.messages.ts'

/** The licence-permission form: one required reference, kept as typed (trimmed) when it has an error. */
export function parsePermissionForm(body: FormBody | undefined): FormResult<{ reference: string }> {
  const reference = text(body, 'reference')
  const problem = permissionReferenceProblem(reference)
  if (problem !== undefined)
    return { ok: false, errors: [{ field: 'reference', message: problem }], values: { reference } }
  return { ok: true, value: { reference } }
}
