/** Synthetic demo data for local use and benchmarks (refused in production). Not a plugin: the CLI and start use it. */
export {
  DEMO_PASSWORD,
  countDemoAccounts,
  isEmptyInstall,
  listDemoAccounts,
  seedDemo,
  type DemoAccountSummary,
} from './demo.service.ts'
