import { buildFeature, type ActionContext, type FeatureType } from 'adminjs';
import { canCancelStock, canRecordStock } from '../../src/admin/access.js';
import { component } from '../../src/admin/component-loader.js';

const Components = {
  AdjustStock: component('AdjustStock', 'plugins/stock-actions/components/adjust-stock'),
  RecordSale: component('RecordSale', 'plugins/stock-actions/components/record-sale'),
  ReceivePurchase: component('ReceivePurchase', 'plugins/stock-actions/components/receive-purchase'),
};
import { adjustStockHandler } from './handlers/product-actions.js';
import { cancelSaleHandler, recordSaleHandler } from './handlers/sale-actions.js';
import { cancelPurchaseHandler, receivePurchaseHandler } from './handlers/purchase-actions.js';

/** Product record action "Adjust stock": the only way the panel changes a product's stock by hand. */
export function productStockFeature(): FeatureType {
  return buildFeature({
    actions: {
      adjustStock: {
        actionType: 'record',
        icon: 'Sliders',
        component: Components.AdjustStock,
        isAccessible: canRecordStock,
        isVisible: canRecordStock,
        handler: adjustStockHandler,
      },
    },
  });
}

const completedSale = (context: ActionContext) => canCancelStock(context) && context.record?.get('status') === 'completed';

/** Sales: "Record sale" (lines -> sales service) and "Cancel" (puts the stock back). */
export function saleStockFeature(): FeatureType {
  return buildFeature({
    actions: {
      recordSale: {
        actionType: 'resource',
        icon: 'PlusCircle',
        component: Components.RecordSale,
        isAccessible: canRecordStock,
        isVisible: canRecordStock,
        handler: recordSaleHandler,
      },
      cancelSale: {
        actionType: 'record',
        icon: 'XCircle',
        variant: 'danger',
        component: false,
        guard: 'Cancel this sale and put its items back in stock?',
        isAccessible: completedSale,
        isVisible: completedSale,
        handler: cancelSaleHandler,
      },
    },
  });
}

const openPurchase = (context: ActionContext) => canRecordStock(context) && ['ordered', 'partially_received'].includes(String(context.record?.get('status')));
const cancellablePurchase = (context: ActionContext) => canCancelStock(context) && context.record?.get('status') === 'ordered';

/** Purchases: "Receive" (full or partial quantities) and "Cancel" (only while nothing was received). */
export function purchaseStockFeature(): FeatureType {
  return buildFeature({
    actions: {
      receivePurchase: {
        actionType: 'record',
        icon: 'Inbox',
        component: Components.ReceivePurchase,
        isAccessible: openPurchase,
        isVisible: openPurchase,
        handler: receivePurchaseHandler,
      },
      cancelPurchase: {
        actionType: 'record',
        icon: 'XCircle',
        variant: 'danger',
        component: false,
        guard: 'Cancel this purchase order?',
        isAccessible: cancellablePurchase,
        isVisible: cancellablePurchase,
        handler: cancelPurchaseHandler,
      },
    },
  });
}
