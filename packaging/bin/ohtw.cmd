@echo off
rem ohtw, the OHT-50 Workstation command line, as installed with the desktop app: the app's own executable
rem runs the bundled CLI when started with --ohtw-cli, so the native modules built for Electron load as in the app.
setlocal
"%~dp0..\..\OHT-50 Workstation.exe" --ohtw-cli %*
exit /b %ERRORLEVEL%
