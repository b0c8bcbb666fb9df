import { AppPage } from './app-page.ts'

export class NotFoundPage extends AppPage {
  readonly heading = 'Page not found'
}

export class ForbiddenPage extends AppPage {
  readonly heading = 'You do not have permission to view this page'
}
