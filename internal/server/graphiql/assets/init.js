// renda GraphiQL bootstrap. Loaded as an external script so that the page's
// Content-Security-Policy does not need 'unsafe-inline' for scripts.
// The GraphQL endpoint and the default query are read from data attributes
// on #graphiql, which the Go handler fills in.
(function () {
  'use strict';
  var root = document.getElementById('graphiql');
  var endpoint = root.getAttribute('data-endpoint');
  var defaultQuery = root.getAttribute('data-default-query') || undefined;
  var fetcher = GraphiQL.createFetcher({ url: endpoint });
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
    })
  );
})();
