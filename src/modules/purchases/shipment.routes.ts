import { ApiRouter } from '../../http/route.js';
import { createShipmentBody, PurchaseSchema } from './purchase.schemas.js';
import { createShipment } from './purchase.service.js';

export const shipmentRoutes = new ApiRouter('/shipments', 'Purchases').post(
  '/',
  {
    operationId: 'recordShipment',
    summary: 'Record an incoming shipment, received now',
    description:
      'Requires `stock:record`. Creates a received purchase and adds the stock atomically; `unitCost` defaults to the product cost price. ' +
      'Answers the purchase record.',
    access: 'stock:record',
    body: createShipmentBody,
    status: 201,
    response: PurchaseSchema,
  },
  ({ body, actor }) => createShipment(body, actor),
);
