import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Schemas import z from here so `.openapi()` (names in the OpenAPI document) is always available.
extendZodWithOpenApi(z);

export { z };
