// Officer, auditor and court pages.
export const officeRoutes = [];
