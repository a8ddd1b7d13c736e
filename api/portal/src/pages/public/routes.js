// Pages for everyone: the home page, case pages with statistics and rounds, the checkpoint.
export const publicRoutes = [];
