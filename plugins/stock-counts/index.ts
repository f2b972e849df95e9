import { buildFeature, type ActionContext, type FeatureType } from 'adminjs';
import { canPostCounts, canRecordStock } from '../../src/admin/access.js';
import { component } from '../../src/admin/component-loader.js';
import { cancelCountHandler, enterCountsHandler, newCountHandler, reviewCountHandler } from './handlers/count-actions.js';

const Components = {
  NewCount: component('NewCount', 'plugins/stock-counts/components/new-count'),
  CountEntry: component('CountEntry', 'plugins/stock-counts/components/count-entry'),
  CountReview: component('CountReview', 'plugins/stock-counts/components/count-review'),
};

const status = (context: ActionContext) => String(context.record?.get('status'));
const counting = (context: ActionContext) => canRecordStock(context) && status(context) === 'counting';
const inReview = (context: ActionContext) => canPostCounts(context) && status(context) === 'review';
const cancellable = (context: ActionContext) => canPostCounts(context) && ['counting', 'review'].includes(status(context));

const gate = (predicate: (context: ActionContext) => boolean) => ({ isAccessible: predicate, isVisible: predicate });

/** Stock counts: "New count" and "Enter counts" (staff), "Review and post" and "Cancel count" (managers), each only when legal. */
export function stockCountFeature(): FeatureType {
  return buildFeature({
    actions: {
      newCount: { actionType: 'resource', icon: 'PlusCircle', component: Components.NewCount, ...gate(canRecordStock), handler: newCountHandler },
      enterCounts: { actionType: 'record', icon: 'Edit3', component: Components.CountEntry, ...gate(counting), handler: enterCountsHandler },
      reviewCount: { actionType: 'record', icon: 'CheckSquare', component: Components.CountReview, ...gate(inReview), handler: reviewCountHandler },
      cancelCount: {
        actionType: 'record',
        icon: 'XCircle',
        variant: 'danger',
        component: false,
        guard: 'Cancel this count? Nothing will be posted.',
        ...gate(cancellable),
        handler: cancelCountHandler,
      },
    },
  });
}
