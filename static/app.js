// Small enhancements only: every page works without this file.
document.addEventListener('keydown', (event) => {
  // "/" focuses the search box, as on GitHub.
  const search = document.getElementById('search')
  if (event.key === '/' && search && document.activeElement?.tagName !== 'INPUT') {
    event.preventDefault()
    search.focus()
  }
})
