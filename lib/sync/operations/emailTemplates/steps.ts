// The email template steps run while the EmailTemplate switch is on and both folders are chosen
// (the settings schema refuses the switch without them), in whole cycles only: a template page's
// Sync now has no one-record step to run (the panel says the sync writes it in whole cycles).
import type { Operation } from '../../../db/types';
import type { PlannedStep, PlanScope } from '../../plan';

export function emailTemplateSteps(operation: Operation, scope: PlanScope): PlannedStep[] {
  const { settings } = scope;
  const on =
    !scope.record &&
    settings.objects.EmailTemplate?.enabled === true &&
    settings.emailTemplates.marketoFolders.length > 0 &&
    !!settings.emailTemplates.salesforceFolderId;
  return on ? [{ operation, objectType: 'Email Template', sobject: 'EmailTemplate' }] : [];
}
