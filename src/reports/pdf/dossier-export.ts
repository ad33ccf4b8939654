/**
 * The case dossier as a PDF for a reader: the case page's view (need to know, masking, and the
 * personal-data access log written when the reader sees personal data unmasked — with the
 * export's route, so the log tells an export from a page view), then the document built and
 * rendered from it. The reads and the log's short transaction come first; rendering (CPU) runs
 * after, outside any transaction.
 */
import type { Actor } from '../../domain/complaint/types.js';
import type { Locale } from '../../domain/errors.js';
import { viewComplaint } from '../../services/view-complaint.js';
import type { App } from '../../services/app.js';
import { dossierModel } from './dossier.js';
import { renderPdf } from './document.js';
import { policyNames, staffNames } from './names.js';

export async function caseDossierPdf(app: App, actor: Actor, idOrNumber: string, lang: Locale): Promise<{ number: string; pdf: Buffer }> {
  const view = await viewComplaint(app, actor, idOrNumber);
  const policy = await app.policyByKey(view.complaint.policyKey);
  const names = policyNames(policy, lang, await staffNames(app));
  const model = dossierModel({ view, names, lang, timeZone: policy.calendar.timeZone, reader: actor.name, now: app.now() });
  return { number: view.complaint.number, pdf: await renderPdf(model) };
}
