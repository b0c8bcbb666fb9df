import type { FastifyInstance } from 'fastify'
import {
  dateParts,
  formErrorContext,
  isoToDateParts,
  parseDateParts,
  text,
  type FormBody,
} from '../../platform/forms/forms.ts'
import { actorOf } from '../../platform/http/auth.ts'
import { ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { formatDate } from '../../platform/views/format.ts'
import { reportsRoutes } from './reports.paths.ts'
import { reportReaderRoles, type ContinuityReport, type ReportsService } from './reports.service.ts'

const shown = (value: number | null) => (value === null ? '*' : value.toLocaleString('en-GB'))
const percent = (rate: number | null) => (rate === null ? '*' : `${(rate * 100).toFixed(1)}%`)

function tableRows(report: ContinuityReport) {
  return [
    [{ text: 'Released from prison' }, { text: shown(report.released), format: 'numeric' }],
    [
      { text: 'Released with a drug or alcohol treatment need' },
      { text: shown(report.withTreatmentNeed), format: 'numeric' },
    ],
    [
      { text: 'Engaged in community treatment within 21 days' },
      { text: shown(report.engagedWithin21Days), format: 'numeric' },
    ],
    [
      { text: 'Continuity of care (engaged within 21 days)' },
      { text: report.withTreatmentNeed === 0 ? 'No one to count' : percent(report.rate), format: 'numeric' },
    ],
  ]
}

export function registerReportsPages(app: FastifyInstance, deps: { reports: ReportsService }): void {
  const { reports } = deps
  app.get(reportsRoutes.continuity, { config: { access: reportReaderRoles } }, async (request, reply) => {
    const query = request.query as FormBody
    const actor = actorOf(request)
    const choices = await reports.siteChoices(actor)
    const asked = text(query, 'from-day') !== '' || text(query, 'to-day') !== '' || text(query, 'from-year') !== ''
    const period = reports.defaultPeriod()
    const errors: FieldError[] = []
    let from = period.from
    let to = period.to
    if (asked) {
      const f = parseDateParts(dateParts(query, 'from'), 'from', 'the start of the period', { required: true })
      const t = parseDateParts(dateParts(query, 'to'), 'to', 'the end of the period', { required: true })
      if (f.error !== undefined) errors.push(f.error)
      if (t.error !== undefined) errors.push(t.error)
      from = f.value ?? from
      to = t.value ?? to
    }
    const site = text(query, 'site')
    const values = {
      site,
      from: asked ? dateParts(query, 'from') : isoToDateParts(from),
      to: asked ? dateParts(query, 'to') : isoToDateParts(to),
    }
    let report: ContinuityReport | undefined
    if (errors.length === 0) {
      try {
        report = await reports.continuityOfCare(actor, { site, from, to }, 'page')
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        errors.push(
          ...error.errors.map((e) => ({ field: e.field === 'site' ? 'site' : `${e.field}-day`, message: e.message })),
        )
      }
    }
    const siteItems = [
      { value: '', text: 'All sites', selected: site === '' },
      ...choices.map((s) => ({ value: s.code, text: s.name, selected: s.code === site })),
    ]
    return reply.code(errors.length > 0 ? 400 : 200).view('reports/views/continuity.njk', {
      pageTitle: 'Continuity of care after release',
      siteItems,
      report,
      rows: report === undefined ? [] : tableRows(report),
      caption:
        report === undefined
          ? ''
          : `${report.site?.name ?? 'All sites'}, releases from ${formatDate(report.from)} to ${formatDate(report.to)}`,
      ...formErrorContext(errors, values),
    })
  })
}
