import type { InstrumentDefinition } from '../instruments.schemas.ts'
import { aq10 } from './aq-10.ts'
import { asrsA } from './asrs-a.ts'
import { audit } from './audit.ts'
import { auditC } from './audit-c.ts'
import { dast10 } from './dast-10.ts'
import { gad2 } from './gad-2.ts'
import { gad7 } from './gad-7.ts'
import { hsi } from './hsi.ts'
import { pcPtsd5 } from './pc-ptsd-5.ts'
import { phq2 } from './phq-2.ts'
import { phq9 } from './phq-9.ts'

/** Every instrument the service offers, brief screens before the full forms they lead to. */
export const instrumentDefinitions: readonly InstrumentDefinition[] = [
  phq2,
  phq9,
  gad2,
  gad7,
  auditC,
  audit,
  dast10,
  hsi,
  asrsA,
  aq10,
  pcPtsd5,
]
