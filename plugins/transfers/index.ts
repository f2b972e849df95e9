import { CANCELLABLE_TRANSFER_STATUSES, OPEN_TRANSFER_STATUSES } from '../../src/modules/transfers/transfer.model.js';
import { buildFeature, type ActionContext, type FeatureType } from 'adminjs';
import { canCancelStock, canRecordStock } from '../../src/admin/access.js';
import { component } from '../../src/admin/component-loader.js';
import { cancelTransferHandler, newTransferHandler, receiveTransferHandler, shipTransferHandler } from './handlers/transfer-actions.js';

const Components = {
  TransferForm: component('TransferForm', 'plugins/transfers/components/transfer-form'),
  ReceiveTransfer: component('ReceiveTransfer', 'plugins/transfers/components/receive-transfer'),
};

const status = (context: ActionContext) => String(context.record?.get('status'));
const draft = (context: ActionContext) => canRecordStock(context) && status(context) === 'draft';
const inTransit = (context: ActionContext) => canRecordStock(context) && OPEN_TRANSFER_STATUSES.includes(status(context));
const cancellable = (context: ActionContext) => canCancelStock(context) && CANCELLABLE_TRANSFER_STATUSES.includes(status(context));

const gate = (predicate: (context: ActionContext) => boolean) => ({ isAccessible: predicate, isVisible: predicate });

/** Transfers: "New transfer", then "Ship" (a draft), "Receive" (in transit, all or part) and "Cancel transfer" (managers), each only when legal. */
export function transferFeature(): FeatureType {
  return buildFeature({
    actions: {
      newTransfer: { actionType: 'resource', icon: 'PlusCircle', component: Components.TransferForm, ...gate(canRecordStock), handler: newTransferHandler },
      shipTransfer: { actionType: 'record', icon: 'Truck', component: false, guard: 'Ship this transfer? The goods leave the source location now.', ...gate(draft), handler: shipTransferHandler },
      receiveTransfer: { actionType: 'record', icon: 'Inbox', component: Components.ReceiveTransfer, ...gate(inTransit), handler: receiveTransferHandler },
      cancelTransfer: {
        actionType: 'record',
        icon: 'XCircle',
        variant: 'danger',
        component: false,
        guard: 'Cancel this transfer? Whatever has not arrived goes back to the source location.',
        ...gate(cancellable),
        handler: cancelTransferHandler,
      },
    },
  });
}

/** "Transfer" on a product's page: the New transfer form with that product on its first line. */
export function productTransferFeature(): FeatureType {
  return buildFeature({
    actions: { transferStock: { actionType: 'record', icon: 'Repeat', component: Components.TransferForm, ...gate(canRecordStock), handler: newTransferHandler } },
  });
}

/** "Transfer from here" on a location's page: the New transfer form leaving from that location. */
export function locationTransferFeature(): FeatureType {
  const active = (context: ActionContext) => canRecordStock(context) && !context.record?.get('archivedAt');
  return buildFeature({
    actions: { transferFrom: { actionType: 'record', icon: 'Repeat', component: Components.TransferForm, ...gate(active), handler: newTransferHandler } },
  });
}
